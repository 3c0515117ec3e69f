/**
 * `npm run bench:smoke`: how exactly the smoke measures. The stand-in Ollama server (its own process) is told
 * to take 150 ms before the first token and 25 ms per token after it; the smoke's client then measures 20
 * streamed requests (after 2 discarded warm-ups) and the native API's decode rate. Goals: TTFT p50 within
 * ±3 ms of 150 ms, decode tok/s within ±5 % of 40, and the time per output token the client itself measures
 * (tpot, from chunk arrivals) within ±5 % of 25 ms: decode tok/s is the server's own figure, so only tpot
 * checks the client's clock.
 */
import { ollamaClient } from "../src/smoke/client.js";
import { distribution, runMetrics } from "../src/smoke/metrics.js";
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

await bench("bench:smoke", async () => {
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
