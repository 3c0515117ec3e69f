/**
 * Each test of a file runs as an action's step in a workflow job sees it, for tests that drive the real
 * @actions/* libraries in this process: they read process.env when called and write their log commands
 * (`::warning::`) and info lines to stdout.
 * Call once at a test file's top level. Before each test the named variables are removed from process.env (a
 * runner's own, when the suite itself runs in a workflow, would otherwise leak in) and stdout is captured; after
 * it the registered cleanups run, newest first, and process.env, stdout and setTimeout are as they were.
 * The libraries back off for seconds between retries: a timer of 2 s or more fires after 1 ms instead, so a fault
 * costs the schedule, not the wait. That turns timeouts into instant failures too: run code that arms one (the
 * artifact download's 30 s stall timer) under `withRealTimers`.
 */
import { afterEach, beforeEach, vi } from "vitest";

export interface ActionsRuntime {
  /** What the current test has written to stdout. */
  readonly stdout: string;
  /** The messages of the `::warning::` commands in it. */
  warnings(): string[];
  /** Runs after the current test, before the environment is restored. */
  onCleanup(cleanup: () => unknown): void;
  withRealTimers<T>(run: () => Promise<T>): Promise<T>;
}

export function actionsRuntime(clearedEnv: readonly string[]): ActionsRuntime {
  const realSetTimeout = globalThis.setTimeout;
  const cleanups: (() => unknown)[] = [];
  let savedEnv: NodeJS.ProcessEnv = {};
  let stdout = "";
  const fast = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    realSetTimeout(fn, ms !== undefined && ms >= 2000 ? 1 : ms, ...args);

  beforeEach(() => {
    savedEnv = { ...process.env };
    for (const k of clearedEnv) delete process.env[k];
    stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      return true;
    });
    globalThis.setTimeout = fast as unknown as typeof setTimeout;
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    globalThis.setTimeout = realSetTimeout;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  return {
    get stdout() {
      return stdout;
    },
    warnings: () =>
      stdout
        .split("\n")
        .filter((line) => line.startsWith("::warning::"))
        .map((line) => line.slice("::warning::".length)),
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
    async withRealTimers(run) {
      globalThis.setTimeout = realSetTimeout;
      try {
        return await run();
      } finally {
        globalThis.setTimeout = fast as unknown as typeof setTimeout;
      }
    },
  };
}
