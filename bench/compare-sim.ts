/**
 * The simulation behind `npm run bench:compare` (pure: seeded, no I/O). A simulated pull request is one base arm
 * and one head arm of TTFT samples, judged by the product's rule (`compareSamples`, src/compare/paired.ts) exactly
 * as the comparison judges a real one. The samples are resampled from TTFTs measured on this machine: the noise
 * model is the measured sequences themselves, not a formula.
 *
 * Two designs, each judged as the product judges it:
 * - `paired`: base and head smoked on the same runner in one run, both servers up, as the smoke sends them
 *   (src/smoke/paired.ts `runInterleaved`): each round, every case goes to both servers back to back (`turn`
 *   pairs of streamed requests), then the native timing requests likewise (they take time but give no TTFT), the
 *   order alternating A B, B A across the run. The i-th value of each arm is the same case in the same round, a
 *   matched pair (`comparePairs`: the paired shift and Wilcoxon's signed-rank test).
 * - `saved_baseline`: the base arm comes from a report measured earlier, in a run of its own (never drifting);
 *   the head arm is this commit's run (`compareSamples`: the two-sample shift and Mann–Whitney's test).
 *
 * Drift: the runner slows down halfway through the current run (a CPU hog starts): from then on its requests are
 * drawn from what was measured with the hog running. For `paired` that is halfway through the interleaved run,
 * for `saved_baseline` halfway through the head's run.
 */
import { comparePairs, compareSamples, DEFAULT_PAIRED_SETTINGS, PAIRED_METRICS } from "../src/compare/paired.js";

export type Random = () => number;

/** mulberry32: a small, fast PRNG with 32 bits of state; the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from names and numbers (FNV-1a over their text): each scenario gets its own fixed stream. */
export function seedOf(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join("\0")) {
    hash ^= char.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Moving-block bootstrap: `length` values made of runs of `block` consecutive measurements, each run starting at
 * a uniformly drawn position of `source`. Consecutive requests that were slow together (a burst of other work on
 * the runner) stay together, which an independent resample would spread out. The first run is cut at a random
 * point, so runs do not line up with the A B B A groups (the runner's slow spells do not know about them).
 */
export function blockBootstrap(source: readonly number[], length: number, block: number, random: Random): number[] {
  if (source.length < block || block < 1) throw new RangeError(`need at least ${block} measurements to resample`);
  const out: number[] = [];
  let skip = Math.floor(random() * block);
  while (out.length < length) {
    const start = Math.floor(random() * (source.length - block + 1));
    for (let i = skip; i < block && out.length < length; i++) out.push(source[start + i] as number);
    skip = 0;
  }
  return out;
}

export interface NoiseModel {
  /** TTFTs measured in sequence on a quiet runner, ms. */
  quiet: readonly number[];
  /** The same, with the CPU hog running. */
  hog: readonly number[];
  /** Requests per bootstrap block. */
  block: number;
}

/** One run's requests in order: quiet until `hogFrom` (never when undefined), then with the hog. */
function runSeries(noise: NoiseModel, length: number, hogFrom: number | undefined, random: Random): number[] {
  const quietCount = Math.min(length, hogFrom ?? length);
  return [
    ...blockBootstrap(noise.quiet, quietCount, noise.block, random),
    ...blockBootstrap(noise.hog, length - quietCount, noise.block, random),
  ];
}

export type Design = "paired" | "saved_baseline";

export interface Scenario {
  design: Design;
  /** Samples per arm. */
  n: number;
  /** Pairs per round in the paired design: the model's cases, each run once per round. */
  turn: number;
  /** What the head adds to every request, ms: the true shift. */
  shiftMs: number;
  drift: boolean;
}

/** One simulated pull request's two arms. */
export function simulateArms(
  noise: NoiseModel,
  scenario: Scenario,
  random: Random,
): { base: number[]; head: number[] } {
  const { design, n, turn, shiftMs, drift } = scenario;
  if (design === "paired") {
    // Per round: `turn` pairs of streamed requests, then as many pairs of native ones (no TTFT); pairs alternate
    // A B, B A across the run. Four requests of the run per matched pair.
    const series = runSeries(noise, 4 * n, drift ? 2 * n : undefined, random);
    const base: number[] = [];
    const head: number[] = [];
    let position = 0;
    let pair = 0;
    for (let round = 0; round * turn < n; round++) {
      const count = Math.min(turn, n - round * turn);
      for (let i = 0; i < count; i++, pair++, position += 2) {
        const [first, second] = [series[position] as number, series[position + 1] as number];
        const [b, h] = pair % 2 === 0 ? [first, second] : [second, first];
        base.push(b);
        head.push(h + shiftMs);
      }
      position += 2 * count;
      pair += count;
    }
    return { base, head };
  }
  const base = runSeries(noise, n, undefined, random);
  const head = runSeries(noise, n, drift ? Math.floor(n / 2) : undefined, random).map((value) => value + shiftMs);
  return { base, head };
}

export interface ScenarioOutcome {
  prs: number;
  /** Verdict `worse`, % of PRs: the detection rate with a shift, a false positive without. */
  worse_pct: number;
  /** Verdict `better`, %: with no shift or a positive one, always wrong. */
  better_pct: number;
  /** The interval [lower, upper] holds the true shift, %. */
  coverage_pct: number;
  /** The median over PRs of the Hodges–Lehmann estimate, ms (the truth is `shiftMs`). */
  median_estimate_ms: number;
}

const TTFT = PAIRED_METRICS.find((metric) => metric.key === "ttft_ms");

const pct = (count: number, of: number) => Math.round((count / of) * 1000) / 10;

/** `prs` pull requests of one scenario, each judged by the product's rule. */
export function runScenario(noise: NoiseModel, scenario: Scenario, prs: number, seed: number): ScenarioOutcome {
  if (TTFT === undefined) throw new Error("ttft_ms is not a paired metric (src/smoke/metric-registry.ts)");
  const random = seededRandom(seed);
  let worse = 0;
  let better = 0;
  let covered = 0;
  const estimates: number[] = [];
  for (let pr = 0; pr < prs; pr++) {
    const { base, head } = simulateArms(noise, scenario, random);
    const judge = scenario.design === "paired" ? comparePairs : compareSamples;
    const result = judge(TTFT, base, head, DEFAULT_PAIRED_SETTINGS);
    if (result.verdict === "worse") worse++;
    if (result.verdict === "better") better++;
    const [lower, upper] = [result.lower ?? Number.NEGATIVE_INFINITY, result.upper ?? Number.POSITIVE_INFINITY];
    if (lower <= scenario.shiftMs && scenario.shiftMs <= upper) covered++;
    estimates.push(result.shift);
  }
  estimates.sort((a, b) => a - b);
  return {
    prs,
    worse_pct: pct(worse, prs),
    better_pct: pct(better, prs),
    coverage_pct: pct(covered, prs),
    median_estimate_ms: Math.round((estimates[prs >> 1] as number) * 100) / 100,
  };
}

/**
 * Measured TTFTs moved to another level: `offset` adds a constant (the measured jitter in ms is kept), `scale`
 * multiplies (the measured jitter relative to the median is kept). `reference` is the quiet median.
 */
export function relevel(values: readonly number[], reference: number, level: number, how: "offset" | "scale") {
  return how === "offset" ? values.map((v) => v + level - reference) : values.map((v) => (v * level) / reference);
}

/** Lag-1 autocorrelation of a sequence's ranks (ranks: one slow outlier does not decide it). */
export function lag1RankAutocorrelation(values: readonly number[]): number {
  const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  order.forEach(({ i }, rank) => {
    ranks[i] = rank;
  });
  const mean = (values.length - 1) / 2;
  let numerator = 0;
  let denominator = 0;
  ranks.forEach((rank, i) => {
    denominator += (rank - mean) ** 2;
    if (i > 0) numerator += (rank - mean) * ((ranks[i - 1] as number) - mean);
  });
  return denominator === 0 ? 0 : numerator / denominator;
}
