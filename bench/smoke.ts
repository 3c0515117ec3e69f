/**
 * `npm run bench:smoke`: how exactly the smoke measures.
 *
 * `npm run bench:smoke -- --real [VERSION]`: the same client against the real Ollama (test/services builds it;
 * the newest by default) and a generated lookup model with a 24-word reply, comparing what the client measures
 * with what the server reports for the very same requests: the time to the first token of a streamed native
 * /api/chat against the server's load + prompt-evaluation time in that request's last chunk, and the end of a
 * streamed /v1 request (the smoke's own measurement, through the openai SDK) against the latency the server's
 * access log records for it. The differences are the overhead outside the model: HTTP, templating, tokenising,
 * scheduling, the SDK. Goal: p50 of each within 15 ms.
 *
 * Without --real: The stand-in Ollama server (its own process) is told
 * to take 150 ms before the first token and 25 ms per token after it; the smoke's client then measures 20
 * streamed requests (after 2 discarded warm-ups) and the native API's decode rate. Goals: TTFT p50 within
 * ±3 ms of 150 ms, decode tok/s within ±5 % of 40, and the time per output token the client itself measures
 * (tpot, from chunk arrivals) within ±5 % of 25 ms: decode tok/s is the server's own figure, so only tpot
 * checks the client's clock.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ollamaClient } from "../src/smoke/client.js";
import { distribution, runMetrics } from "../src/smoke/metrics.js";
import { buildLookupModel } from "../test/real-ollama/lookup-model.js";
import { startOllama } from "../test/real-ollama/server.js";
import { NEWEST_OLLAMA } from "../test/real-ollama/versions.js";
import { startStandin } from "../test/standin/spawn.js";
import { bench, log, round } from "./common.js";

const TTFT_MS = 150;
const TOKEN_MS = 25;
const RUNS = 20;
const WARMUPS = 2;
const TTFT_TOLERANCE_MS = 3;
const DECODE_TOLERANCE = 0.05;

const request = {
  model: "bench",
  messages: [{ role: "user" as const, content: "Fale um pouco sobre o horário de atendimento." }],
  tools: [],
  request: { temperature: 0, top_p: 0.9, seed: 42, max_tokens: 150, reasoning_effort: "none" as const },
};

/** `[GIN] … | 200 |   24.457069ms | …  POST "/v1/chat/completions"`: the server's latency of each such request. */
function accessLogLatencies(log: string, route: string): number[] {
  const unitMs: Record<string, number> = { ns: 1e-6, µs: 1e-3, us: 1e-3, ms: 1, s: 1000 };
  return [...log.matchAll(/\[GIN\][^|]*\|\s*\d+\s*\|\s*([\d.]+)(ns|µs|us|ms|s)\s*\|[^\n"]*"([^"\n]+)"/g)]
    .filter((match) => match[3] === route)
    .map((match) => Number(match[1]) * (unitMs[match[2] as string] as number));
}

/** A streamed native /api/chat: the client's time to the first content chunk, and the server's own timings. */
async function nativeStreamed(url: string, body: object) {
  const started = performance.now();
  const response = await fetch(`${url}/api/chat`, { method: "POST", body: JSON.stringify(body) });
  let ttftMs: number | undefined;
  let text = "";
  const decoder = new TextDecoder();
  for await (const piece of response.body as ReadableStream<Uint8Array>) {
    text += decoder.decode(piece, { stream: true });
    if (ttftMs === undefined && /"content":"[^"]/.test(text)) ttftMs = performance.now() - started;
  }
  const last = JSON.parse(text.trim().split("\n").at(-1) as string) as {
    load_duration?: number;
    prompt_eval_duration?: number;
  };
  return {
    ttftMs: ttftMs as number,
    serverPrefillMs: ((last.load_duration ?? 0) + (last.prompt_eval_duration ?? 0)) / 1e6,
  };
}

async function realServer(version: string) {
  const words = Array.from({ length: 24 }, (_, i) => `palavra${i}`).join(" ");
  const model = buildLookupModel({ name: "bench", default: { text: words }, replies: {} });
  const server = await startOllama(version);
  try {
    writeFileSync(path.join(server.dir, "model.gguf"), model.gguf);
    writeFileSync(path.join(server.dir, "Modelfile"), model.modelfile("./model.gguf"));
    const created = await server.cli(["create", "bench", "-f", "Modelfile"], { cwd: server.dir });
    if (created.exitCode !== 0) throw new Error(`ollama create: ${created.stderr}`);
    const client = ollamaClient(server.url);
    for (let i = 0; i < WARMUPS; i++) await client.chat(request, true);
    const ttftOverhead: number[] = [];
    const e2eOverhead: number[] = [];
    const nativeBody = { model: "bench", messages: request.messages, think: false, options: { temperature: 0 } };
    for (let i = 0; i < RUNS; i++) {
      const native = await nativeStreamed(server.url, nativeBody);
      ttftOverhead.push(native.ttftMs - native.serverPrefillMs);
      const before = accessLogLatencies(server.log(), "/v1/chat/completions").length;
      const observation = await client.chat(request, true);
      if (observation.error !== undefined) throw new Error(`run ${i + 1}: ${observation.error}`);
      // The access-log line is written once the response is done: wait for it.
      let latencies = accessLogLatencies(server.log(), "/v1/chat/completions");
      for (let tries = 0; latencies.length === before && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        latencies = accessLogLatencies(server.log(), "/v1/chat/completions");
      }
      e2eOverhead.push((observation.e2eMs as number) - (latencies.at(-1) as number));
    }
    const figures = {
      ollama: version,
      runs: RUNS,
      ttft_minus_server_prefill_ms: distribution(ttftOverhead.map((v) => round(v))),
      e2e_minus_server_latency_ms: distribution(e2eOverhead.map((v) => round(v))),
    };
    log(
      `client − server, p50: ttft ${figures.ttft_minus_server_prefill_ms?.p50} ms (native), e2e ${figures.e2e_minus_server_latency_ms?.p50} ms (/v1)`,
    );
    const missed = [
      ["ttft − prefill", figures.ttft_minus_server_prefill_ms?.p50],
      ["e2e − server latency", figures.e2e_minus_server_latency_ms?.p50],
    ].flatMap(([what, p50]) =>
      Math.abs(p50 as number) <= REAL_OVERHEAD_MS ? [] : [`${what} p50 ${p50} ms (goal within ${REAL_OVERHEAD_MS} ms)`],
    );
    return { figures, missed };
  } finally {
    await server.stop();
  }
}

const REAL_OVERHEAD_MS = 15;
const realAt = process.argv.indexOf("--real");

await bench(realAt >= 0 ? "bench:smoke --real" : "bench:smoke", async () => {
  if (realAt >= 0) return realServer(process.argv[realAt + 1] ?? NEWEST_OLLAMA);
  const reply = Array.from({ length: 24 }, (_, i) => `palavra${i}`).join(" ");
  const server = await startStandin({
    models: ["bench"],
    script: { rules: [{ reply: { content: reply } }] },
    env: { OLLAMA_STANDIN_TTFT_MS: String(TTFT_MS), OLLAMA_STANDIN_TOKEN_MS: String(TOKEN_MS) },
  });
  try {
    const client = ollamaClient(server.url);
    for (let i = 0; i < WARMUPS; i++) await client.chat(request, true);
    const ttft: number[] = [];
    const tpot: number[] = [];
    const decode: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const observation = await client.chat(request, true);
      if (observation.error !== undefined) throw new Error(`run ${i + 1}: ${observation.error}`);
      const metrics = runMetrics({ observation, native: await client.nativeTimings(request) });
      ttft.push(metrics.ttft_ms as number);
      tpot.push(metrics.tpot_ms as number);
      decode.push(metrics.decode_tps as number);
    }
    const figures = {
      injected: { ttft_ms: TTFT_MS, token_ms: TOKEN_MS, decode_tps: 1000 / TOKEN_MS },
      ttft_ms: distribution(ttft),
      tpot_ms: distribution(tpot),
      decode_tps: distribution(decode),
    };
    log(
      `ttft p50 ${figures.ttft_ms?.p50} ms, tpot p50 ${figures.tpot_ms?.p50} ms, decode p50 ${figures.decode_tps?.p50} tok/s`,
    );
    const missed: string[] = [];
    const ttftError = round((figures.ttft_ms?.p50 ?? Number.NaN) - TTFT_MS);
    if (!(Math.abs(ttftError) <= TTFT_TOLERANCE_MS))
      missed.push(`ttft p50 off by ${ttftError} ms (±${TTFT_TOLERANCE_MS})`);
    const tpotError = (figures.tpot_ms?.p50 ?? Number.NaN) / TOKEN_MS - 1;
    if (!(Math.abs(tpotError) <= DECODE_TOLERANCE)) {
      missed.push(`tpot p50 off by ${round(tpotError * 100)} % (±${DECODE_TOLERANCE * 100} %)`);
    }
    const decodeError = (figures.decode_tps?.p50 ?? Number.NaN) / (1000 / TOKEN_MS) - 1;
    if (!(Math.abs(decodeError) <= DECODE_TOLERANCE)) {
      missed.push(`decode_tps p50 off by ${round(decodeError * 100)} % (±${DECODE_TOLERANCE * 100} %)`);
    }
    return { figures, missed };
  } finally {
    await server.stop();
  }
});
