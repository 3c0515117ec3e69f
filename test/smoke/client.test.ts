/**
 * The smoke's client against the stand-in Ollama server (in its own process) and against plain servers that
 * misbehave: every fault the server can show ends as a clear error in one line, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OllamaClient, ollamaClient } from "../../src/smoke/client.js";
import type { Standin } from "../standin/spawn.js";
import { ask, serve, startScriptedStandin } from "./servers.js";

let server: Standin;
beforeAll(async () => {
  server = await startScriptedStandin();
}, 30_000);
afterAll(() => server?.stop());

describe("the client: every fault ends as a clear error, never a hang", () => {
  const client = () => ollamaClient(server.url, { idleMs: 800, requestMs: 5000, loadMs: 5000, apiMs: 5000 });

  it.each([
    ["a 500", "erro", /^HTTP 500: /],
    ["a stall mid-stream", "trava", /^stalled: no chunk for 800 ms after 2 token chunk\(s\)$/],
    ["a dropped connection", "cai", /terminated|socket|closed|reset|ended without a finish_reason/i],
    ["a malformed chunk", "quebra", /^malformed chunk \(not JSON\)/],
  ])("%s", async (_, prompt, message) => {
    const started = Date.now();
    const observation = await client().chat(ask(prompt), true);
    expect(observation.error, observation.error).toMatch(message);
    // Ended by the fault or the 800 ms idle limit, not by the 5 s request limit (nor a hang).
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a stream that keeps going past the request's time limit is cut there", async () => {
    const started = Date.now();
    const observation = await ollamaClient(server.url, { idleMs: 800, requestMs: 600, loadMs: 5000, apiMs: 5000 }).chat(
      ask("sem fim"),
      true,
    );
    expect(observation.error).toMatch(/^still streaming after 600 ms \(\d+ token chunks\)$/);
    // Cut at the limit, long before the 200 tokens' 8 s.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a model the server does not have is its 404", async () => {
    const observation = await client().chat(ask("oi", { model: "nenhum" }), true);
    expect(observation.error).toMatch(/^HTTP 404: .*nenhum/);
  });

  it("reasoning comes before the content when thinking is left on, and not at all when it is off", async () => {
    const thinking = await client().chat(ask("suporte", { request: { temperature: 0 } }), true);
    expect(thinking.reasoning).toBe("O cliente quer o suporte.");
    expect(thinking.tReasoningMs).toBeLessThanOrEqual(thinking.ttftMs as number);
    expect(thinking.toolCalls).toEqual([{ name: "transfer_call", arguments: '{"department":"suporte"}' }]);
    expect(thinking.finishReason).toBe("tool_calls");
    const quiet = await client().chat(ask("suporte"), true);
    expect(quiet.reasoning).toBe("");
    expect(quiet.tToolMs).toBeGreaterThanOrEqual(quiet.ttftMs as number);
  });
});

describe("the client against a hostile or broken server", () => {
  const timeouts = { idleMs: 800, requestMs: 800, loadMs: 800, apiMs: 800 };

  it("a non-streamed answer that stalls after its headers ends at the request's deadline", async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"id":');
    });
    const started = Date.now();
    const observation = await ollamaClient(url, timeouts).chat(ask("oi"), false);
    expect(observation.error).toBe("no complete answer within 800 ms (not streamed)");
    // The 800 ms deadline, not the 30 s test timeout.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("no answer at all (a stall before the headers): streamed, the idle limit; not streamed, the request's", async () => {
    const { url } = await serve(() => {});
    const client = ollamaClient(url, { ...timeouts, idleMs: 400 });
    expect((await client.chat(ask("oi"), true)).error).toBe("stalled: no chunk for 400 ms after 0 token chunk(s)");
    expect((await client.chat(ask("oi"), false)).error).toBe("no complete answer within 800 ms (not streamed)");
  });

  it("a reply of more than a million characters is cut off there", async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      const piece = chunk("x".repeat(64 * 1024));
      let sent = 0;
      const next = () => {
        if (sent++ < 40 && !response.destroyed) response.write(piece, next);
      };
      next();
    });
    const observation = await ollamaClient(url, { ...timeouts, requestMs: 10_000, idleMs: 5000 }).chat(ask("oi"), true);
    expect(observation.error).toBe("the reply passed 1048576 characters");
  });
  it("a 5 MB error body is clipped in the message", async () => {
    const { url } = await serve((_, response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "x".repeat(5_000_000) }));
    });
    const client = ollamaClient(url, timeouts);
    const chat = await client.chat(ask("oi"), true);
    expect(chat.error?.length).toBeLessThan(1000);
    const load = await client.load("agente").catch((e: Error) => e.message);
    expect(load).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/api\/chat: HTTP 500: \{"error":"x+… \(more than 64 KiB\)$/);
  });

  it.each([
    [
      "/api/tags whose models are not a list",
      '{"models": 5}',
      (c: OllamaClient) => c.models(),
      /\/api\/tags: an unexpected answer: models: /,
    ],
    [
      "/api/ps with a size that is not a number",
      '{"models":[{"name":"a","size":"x","size_vram":0}]}',
      (c: OllamaClient) => c.loaded(),
      /\/api\/ps: an unexpected answer: models\.0\.size: /,
    ],
    ["/api/version that is not JSON", "<html>", (c: OllamaClient) => c.version(), /\/api\/version: not JSON: "<html>"/],
  ])("%s is one clear error", async (_, body, call, message) => {
    const { url } = await serve((_, response) => response.end(body));
    await expect(call(ollamaClient(url, timeouts))).rejects.toThrow(message);
  });

  it("a refused connection names the URL and the cause; a stalled answer names the limit", async () => {
    // A port nothing listens on any more (9, the discard port, fetch refuses outright).
    const closed = await serve(() => {});
    closed.close();
    await expect(ollamaClient(closed.url, timeouts).version()).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/version: fetch failed: .*ECONNREFUSED/,
    );
    const { url } = await serve((_, response) =>
      response.writeHead(200, { "content-type": "application/json" }).flushHeaders(),
    );
    await expect(ollamaClient(url, timeouts).version()).rejects.toThrow(
      /\/api\/version: no complete answer within 800 ms$/,
    );
  });
});
