/**
 * Servers for the smoke client's tests: the stand-in Ollama (in its own process) with one reply script for every
 * test file, and plain HTTP servers that answer however a test says.
 */
import type { ServerResponse } from "node:http";
import type { ChatRequest } from "../../src/smoke/client.js";
import { type LocalServer, localServer } from "../local-server.js";
import { type Standin, startStandin } from "../standin/spawn.js";

const say = (content: string) => ({ reply: { content } });
/** The stand-in's replies, by what the user says: faults, reasoning with a tool call, a flaky case. */
const SCRIPT = {
  rules: [
    { user_contains: "erro", fault: "http_500" },
    { user_contains: "trava", fault: "stall", fault_after_tokens: 2, reply: { content: "um dois três quatro" } },
    { user_contains: "cai", fault: "drop", fault_after_tokens: 1, reply: { content: "um dois três" } },
    { user_contains: "quebra", fault: "malformed", fault_after_tokens: 1, reply: { content: "um dois três" } },
    { user_contains: "sem fim", token_ms: 40, reply: { content: "bla ".repeat(200) } },
    {
      user_contains: "suporte",
      reply: {
        reasoning: "O cliente quer o suporte.",
        content: "Vou te passar pro suporte.",
        tool_calls: [{ name: "transfer_call", arguments: { department: "suporte" } }],
      },
    },
    {
      user_contains: "vendas",
      // Each timed run is two requests (streamed, then native for the timings): runs alternate right, wrong.
      cycle: [
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "vendas" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "vendas" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "financeiro" } }] },
        { content: "Claro.", tool_calls: [{ name: "transfer_call", arguments: { department: "financeiro" } }] },
      ],
    },
    say("Bom dia! Como posso ajudar?"),
  ],
};

/** The stand-in with the model `agente` and the script; 2 ms a token. */
export const startScriptedStandin = (): Promise<Standin> =>
  startStandin({ models: ["agente"], script: SCRIPT, env: { OLLAMA_STANDIN_TOKEN_MS: "2" } });

const TRANSFER = {
  type: "function" as const,
  function: { name: "transfer_call", parameters: { type: "object", properties: { department: { type: "string" } } } },
};

export const ask = (content: string, overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "agente",
  messages: [{ role: "user", content }],
  tools: [TRANSFER],
  request: { temperature: 0, top_p: 0.9, seed: 1, max_tokens: 50, reasoning_effort: "none" },
  ...overrides,
});

/** A server whose every answer `handle` writes once the request is read. */
export const serve = (handle: (url: string, response: ServerResponse) => void): Promise<LocalServer> =>
  localServer((request, response) => {
    request.resume();
    request.on("end", () => handle(request.url ?? "", response));
  });
