/**
 * Ollama's own durations of a request under load, from the native /api/chat: the OpenAI-compatible API the agent
 * uses reports none. What they mean, from Ollama 0.24.0's source and checked against a real server:
 *
 * - `load_duration` runs from the request's arrival until the scheduler hands it a runner (server/routes.go:
 *   `checkpointLoaded` right after `scheduleRunner`). For a model that is loaded the scheduler answers at once
 *   (server/sched.go `GetRunner` → `useLoadedRunner`), so it stays near zero however many requests queue: it is
 *   the scheduler's wait (a load, an eviction, another model's load ahead of it), not the queue for a slot.
 * - The wait for one of the OLLAMA_NUM_PARALLEL slots comes after it (llm/server.go `Completion`:
 *   `s.sem.Acquire`), and the runner's `prompt_eval_duration` and `eval_duration` start once a slot is held. So
 *   the queue wait is what the total leaves: total − load − prompt evaluation − decoding. That also holds
 *   rendering the template and tokenising (a few ms on an idle server) and, on a busy runner, the wait to join
 *   its next batch: all of it time the caller waits before the model starts on the prompt.
 *
 * Measured on Ollama 0.24.0 (OLLAMA_NUM_PARALLEL=1, two requests at once for a loaded model): load_duration
 * 2 ms and 7 ms, the remainder 13 ms for the first and 6.6 s for the second, which waited for the first's 6.5 s.
 * test/real-ollama/load.real.test.ts checks it on every run: four conversations on two slots queue for seconds
 * while load_duration stays at a few ms.
 */
import { roundMs } from "./chat.js";
import type { ChatRequest, NativeChat, OllamaClient } from "./client.js";
import { timingsOf } from "./client.js";
import type { NativeTimings } from "./types.js";

export interface NativeDurations {
  /** What metrics.ts reads from a native answer: decode speed, prefill, evaluated prompt tokens. */
  native: NativeTimings;
  queueWaitMs: number;
  loadDurationMs: number;
}

const ms = (ns: number | undefined) => (ns ?? 0) / 1e6;

export function durationsOf(body: NativeChat): NativeDurations {
  const accounted = ms(body.load_duration) + ms(body.prompt_eval_duration) + ms(body.eval_duration);
  return {
    native: timingsOf(body),
    // Each duration is rounded to the nanosecond on its own: a few ns below zero is no wait at all.
    queueWaitMs: roundMs(Math.max(0, ms(body.total_duration) - accounted)),
    loadDurationMs: roundMs(ms(body.load_duration)),
  };
}

/** The same request over the native API, within the client's request time limit; an error says what went wrong. */
export async function nativeDurations(client: OllamaClient, request: ChatRequest): Promise<NativeDurations> {
  try {
    return durationsOf(await client.nativeChat(request));
  } catch (error) {
    throw new Error(`native /api/chat: ${(error as Error).message}`);
  }
}
