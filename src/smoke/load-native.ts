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
import { z } from "zod";
import { clip, errorText, MAX_JSON_BYTES, readCappedText } from "../io/http.js";
import { describeError } from "../text/errors.js";
import { roundMs } from "./chat.js";
import { type ChatRequest, nativeBody } from "./client.js";
import type { NativeTimings } from "./types.js";

const nonNegative = z.number().nonnegative();
const DurationsSchema = z.object({
  total_duration: nonNegative.optional(),
  load_duration: nonNegative.optional(),
  prompt_eval_count: nonNegative.optional(),
  prompt_eval_duration: nonNegative.optional(),
  eval_count: nonNegative.optional(),
  eval_duration: nonNegative.optional(),
});

export interface NativeDurations {
  /** What metrics.ts reads from a native answer: decode speed, prefill, evaluated prompt tokens. */
  native: NativeTimings;
  queueWaitMs: number;
  loadDurationMs: number;
}

const ms = (ns: number | undefined) => (ns ?? 0) / 1e6;

export function durationsOf(body: z.infer<typeof DurationsSchema>): NativeDurations {
  const native: NativeTimings = {};
  if (body.eval_count !== undefined && body.eval_duration)
    native.decodeTps = (body.eval_count / body.eval_duration) * 1e9;
  if (body.prompt_eval_duration !== undefined) native.prefillMs = roundMs(ms(body.prompt_eval_duration));
  if (body.prompt_eval_count !== undefined) native.promptTokens = body.prompt_eval_count;
  const accounted = ms(body.load_duration) + ms(body.prompt_eval_duration) + ms(body.eval_duration);
  return {
    native,
    // Each duration is rounded to the nanosecond on its own: a few ns below zero is no wait at all.
    queueWaitMs: roundMs(Math.max(0, ms(body.total_duration) - accounted)),
    loadDurationMs: roundMs(ms(body.load_duration)),
  };
}

/** The same request over the native API, not streamed, within `timeoutMs`; an error says what went wrong. */
export async function nativeDurations(
  endpoint: string,
  request: ChatRequest,
  timeoutMs: number,
): Promise<NativeDurations> {
  try {
    const response = await fetch(`${endpoint}/api/chat`, {
      method: "POST",
      body: JSON.stringify(nativeBody(request)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await errorText(response)}`);
    const text = await readCappedText(response, MAX_JSON_BYTES, "the answer");
    const parsed = DurationsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`an unexpected answer: ${clip(text)}`);
    return durationsOf(parsed.data);
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describeError(error);
    throw new Error(`native /api/chat: ${clip(reason, 1000)}`);
  }
}
