/**
 * Starts the stand-in `ollama serve` (test/standin/ollama.ts) as its own process (test/spawn-server.ts), with
 * the named models created through its /api/create, and the script (if any) written to a file it reads through
 * OLLAMA_STANDIN_SCRIPT.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { type ServerProcess, spawnServer } from "../spawn-server.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

export interface StandinOptions {
  models: string[];
  /** The reply script (ollama-script.ts's format). */
  script?: object;
  /** Extra environment for the server, e.g. OLLAMA_STANDIN_TTFT_MS. */
  env?: Record<string, string>;
}

export type Standin = ServerProcess;

async function createModel(url: string, model: string): Promise<void> {
  const response = await fetch(`${url}/api/create`, { method: "POST", body: JSON.stringify({ model }) });
  const events = (await response.text()).split("\n").filter(Boolean);
  const failure = events.map((line) => JSON.parse(line) as { error?: string }).find((event) => event.error);
  if (!response.ok || failure !== undefined) {
    throw new Error(`creating ${model} failed: HTTP ${response.status} ${failure?.error ?? events.join(" ")}`);
  }
}

export async function startStandin(options: StandinOptions): Promise<Standin> {
  // The same Node that runs the tests runs tsx (its bin is a Node script).
  const server = await spawnServer({
    name: "the stand-in",
    command: process.execPath,
    args: [
      path.join(repositoryRoot, "node_modules/.bin/tsx"),
      path.join(repositoryRoot, "test/standin/ollama.ts"),
      "serve",
    ],
    prepare: (dir): Record<string, string> => {
      if (options.script === undefined) return {};
      const file = path.join(dir, "script.json");
      writeFileSync(file, JSON.stringify(options.script));
      return { OLLAMA_STANDIN_SCRIPT: file };
    },
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  try {
    for (const model of options.models) await createModel(server.url, model);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
