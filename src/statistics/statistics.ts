/**
 * The tests a base-vs-head comparison may call a regression with, each matching SciPy 1.10.1 (`scipy.stats`) to
 * 1e-9 relative with its default options (checked case by case against SciPy's own results in
 * test/fixtures/stats-reference.json), plus the Hodges–Lehmann shift and its distribution-free interval.
 *
 * SciPy conventions kept on purpose, because they decide which p-value is reported:
 * - Mann–Whitney `method="auto"` is exact when either sample has at most 8 values and nothing ties, not only when
 *   both are small (`_mwu_choose_method`: asymptotic only if both exceed 8, or on ties).
 * - Wilcoxon `method="auto"` is exact whenever n <= 50 and no difference is zero, even with tied |d|: the tied
 *   (fractional) R+ is truncated to an integer and looked up in the no-ties distribution. With a zero difference it
 *   switches to the normal approximation and drops the zeros (`zero_method="wilcox"`).
 * - Fisher's two-sided p adds every table whose probability is at most the observed one's times (1 + 1e-14), so
 *   tables that tie the observed one exactly (mirror images) count even when rounding would split them.
 */

import { normalSf, normalUpperQuantile } from "./normal.js";
import { bigRatio, hypergeometricWeights, mannWhitneyCounts, signedRankCounts } from "./null-distributions.js";

export type Alternative = "two-sided" | "less" | "greater";
export type TwoByTwoTable = readonly [readonly [number, number], readonly [number, number]];

export interface MannWhitneyResult {
  /** U of x: the number of (x_i, y_j) pairs with x_i > y_j, ties counting one half (SciPy's `statistic`). */
  uX: number;
  /** Two-sided p-value. */
  p: number;
  method: "exact" | "asymptotic";
}

export interface WilcoxonResult {
  /** The smaller of the positive and negative rank sums (SciPy's two-sided `statistic`). */
  statistic: number;
  /** Two-sided p-value. */
  p: number;
  method: "exact" | "approx";
}

export interface ShiftEstimate {
  /**
   * Hodges–Lehmann estimate: of the shift y − x, the median of all m·n differences y_j − x_i (two samples); of the
   * centre of paired differences d, the median of their Walsh averages.
   */
  shift: number;
  /** The k-th smallest difference; −Infinity when the samples are too small for the confidence asked. */
  lower: number;
  /** The k-th largest difference; +Infinity when the samples are too small for the confidence asked. */
  upper: number;
  /** Whether k came from the exact null distribution of U (else from the normal approximation). */
  exact: boolean;
}

/** SciPy's Mann–Whitney uses the exact distribution only while the smaller sample has at most this many values. */
const EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE = 8;
/** SciPy's Wilcoxon uses the exact distribution up to this many differences. */
const EXACT_WILCOXON_MAX_SIZE = 50;
/**
 * SciPy's `fisher_exact` counts a table as no more likely than the observed one while its probability is at most
 * (1 + 1e-14) times the observed one's; written as (10^14 + 1) / 10^14 the comparison stays in exact BigInts.
 */
const FISHER_TIE_SCALE = 10n ** 14n;

function assertSample(name: string, values: readonly number[]): void {
  if (values.length === 0) throw new RangeError(`${name} is empty`);
  if (!values.every(Number.isFinite)) throw new RangeError(`${name} holds a value that is not a finite number`);
}

/** Average ranks (1-based; tied values share the mean of their positions, as SciPy's `rankdata`) and Σ(t³ − t). */
function averageRanks(values: readonly number[]): { ranks: Float64Array; tieTerm: number } {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    for (let k = start; k < end; k++) ranks[order[k] as number] = (start + 1 + end) / 2;
    const size = end - start;
    tieTerm += size ** 3 - size;
    start = end;
  }
  return { ranks, tieTerm };
}

const tieTermOf = (values: readonly number[]) => averageRanks(values).tieTerm;

/**
 * Fisher's exact test on [[a, b], [c, d]], conditioning on both margins (a is hypergeometric). "less" is P(A <= a),
 * "greater" is P(A >= a), "two-sided" adds every table no more likely than the observed one (see the file comment).
 * All probabilities are exact BigInt ratios rounded once.
 */
export function fisherExact(table: TwoByTwoTable, alternative: Alternative = "two-sided"): number {
  const [[a, b], [c, d]] = table;
  for (const cell of [a, b, c, d]) {
    if (!Number.isSafeInteger(cell) || cell < 0) throw new RangeError(`table cells must be counts, got ${cell}`);
  }
  const { low, weights } = hypergeometricWeights(a + b, c + d, a + c);
  const observed = weights[a - low] as bigint;
  const counts = (x: number, weight: bigint): boolean => {
    if (alternative === "less") return x <= a;
    if (alternative === "greater") return x >= a;
    return weight * FISHER_TIE_SCALE <= observed * (FISHER_TIE_SCALE + 1n);
  };
  let selected = 0n;
  let total = 0n;
  weights.forEach((weight, i) => {
    total += weight;
    if (counts(low + i, weight)) selected += weight;
  });
  return Math.min(1, bigRatio(selected, total));
}

/** The standard deviation of U under the null, with SciPy's tie correction (tieTerm = Σ(t³ − t) over tie groups). */
function mannWhitneySigma(m: number, n: number, tieTerm: number): number {
  const size = m + n;
  return Math.sqrt(((m * n) / 12) * (size + 1 - tieTerm / (size * (size - 1))));
}

/** P(U >= u) under the null, exactly: by symmetry, P(U <= m·n − u). */
function mannWhitneyExactUpperTail(u: number, m: number, n: number): number {
  const counts = mannWhitneyCounts(Math.min(m, n), Math.max(m, n));
  let tail = 0;
  let total = 0;
  counts.forEach((count, k) => {
    total += count;
    if (k <= m * n - u) tail += count;
  });
  return tail / total;
}

/**
 * Two-sided Mann–Whitney U test of x against y (SciPy `mannwhitneyu(x, y)`): exact when the smaller sample has at
 * most 8 values and there are no ties; otherwise the normal approximation with tie-corrected variance and a
 * continuity correction of 0.5 towards the mean.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  assertSample("x", x);
  assertSample("y", y);
  const m = x.length;
  const n = y.length;
  const { ranks, tieTerm } = averageRanks([...x, ...y]);
  const rankSumX = ranks.subarray(0, m).reduce((sum, rank) => sum + rank, 0);
  const uX = rankSumX - (m * (m + 1)) / 2;
  // SciPy takes the upper tail of the larger of U_x and U_y and doubles it.
  const uLarger = Math.max(uX, m * n - uX);
  const method = Math.min(m, n) <= EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE && tieTerm === 0 ? "exact" : "asymptotic";
  const upperTail =
    method === "exact"
      ? mannWhitneyExactUpperTail(uLarger, m, n)
      : normalSf((uLarger - (m * n) / 2 - 0.5) / mannWhitneySigma(m, n, tieTerm));
  return { uX, p: Math.min(1, 2 * upperTail), method };
}

/** SciPy's exact two-sided signed-rank p for R+ = rankSumPositive among n differences. */
function signedRankExactP(rankSumPositive: number, n: number): number {
  const counts = signedRankCounts(n);
  // SciPy truncates: with tied |d| R+ can be a half-integer, and int() drops the half.
  const r = Math.trunc(rankSumPositive);
  if (r === Math.floor((counts.length - 1) / 2)) return 1;
  let atMost = 0;
  let atLeast = 0;
  counts.forEach((count, k) => {
    if (k <= r) atMost += count;
    if (k >= r) atLeast += count;
  });
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / 2 ** n);
}

/**
 * Two-sided Wilcoxon signed-rank test on paired differences d (SciPy `wilcoxon(d)` with its defaults: exact for
 * n <= 50 without zeros, else the normal approximation with tie correction and no continuity correction; zeros are
 * dropped). Throws when every difference is zero, where the test says nothing.
 */
export function wilcoxonSignedRank(d: readonly number[]): WilcoxonResult {
  assertSample("d", d);
  const nonZero = d.filter((value) => value !== 0);
  if (nonZero.length === 0) throw new RangeError("every difference is zero: the signed-rank test is undefined");
  const method = d.length <= EXACT_WILCOXON_MAX_SIZE && nonZero.length === d.length ? "exact" : "approx";
  const n = nonZero.length;
  const { ranks, tieTerm } = averageRanks(nonZero.map(Math.abs));
  let rankSumPositive = 0;
  let rankSumNegative = 0;
  nonZero.forEach((value, i) => {
    if (value > 0) rankSumPositive += ranks[i] as number;
    else rankSumNegative += ranks[i] as number;
  });
  const statistic = Math.min(rankSumPositive, rankSumNegative);
  if (method === "exact") return { statistic, p: signedRankExactP(rankSumPositive, n), method };
  const mean = n * (n + 1) * 0.25;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1) - 0.5 * tieTerm) / 24);
  return { statistic, p: 2 * normalSf(Math.abs((statistic - mean) / sd)), method };
}

/** The largest k whose lower tail P(T <= k − 1) of an exact null distribution (counts of `total`) is <= `tail`. */
function exactDepth(counts: Float64Array, total: number, tail: number): number {
  // The slack lets a tail of exactly 2.5 % count although 1 − 0.95 is not exactly 0.05 in binary.
  const allowed = tail * total * (1 + 1e-12);
  let k = 0;
  let below = 0;
  while (below + (counts[k] as number) <= allowed) below += counts[k++] as number;
  return k;
}

function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

/** The median: the middle value, or the mean of the two middle ones. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * How deep into the sorted differences the interval's ends sit (k), for a two-sided interval at `confidence`.
 * Exact: the largest k with P(U <= k − 1) <= (1 − confidence)/2 under the null, so the coverage
 * 1 − 2·P(U <= k − 1) is at least the confidence asked (R's `wilcox.test` picks the same k, except that it
 * takes k = 1 where none qualifies and one less where a tail is exactly (1 − confidence)/2). Normal: the same
 * condition with the continuity-corrected normal approximation, k = ⌊mn/2 + 1/2 − z·σ⌋ (Hollander & Wolfe's
 * C_α rounded to the nearest integer).
 *
 * Ties: only ties within x or within y matter. Shifting y by a candidate Δ moves every coincidence between an x and a
 * y away, so the tests the interval inverts see the within-sample ties and no others.
 */
function intervalDepth(x: readonly number[], y: readonly number[], confidence: number): { k: number; exact: boolean } {
  const m = x.length;
  const n = y.length;
  const tail = (1 - confidence) / 2;
  const tieTerm = tieTermOf(x) + tieTermOf(y);
  if (Math.min(m, n) <= EXACT_MANN_WHITNEY_MAX_SMALLER_SAMPLE && tieTerm === 0) {
    const counts = mannWhitneyCounts(Math.min(m, n), Math.max(m, n));
    return {
      k: exactDepth(
        counts,
        counts.reduce((sum, count) => sum + count, 0),
        tail,
      ),
      exact: true,
    };
  }
  const z = normalUpperQuantile(tail);
  return { k: Math.max(0, Math.floor((m * n) / 2 + 0.5 - z * mannWhitneySigma(m, n, tieTerm))), exact: false };
}

/**
 * Hodges–Lehmann estimate of the location shift of y relative to x (positive when y tends to be larger) with the
 * distribution-free confidence interval that inverts the two-sided Mann–Whitney test: [D(k), D(mn + 1 − k)] over
 * the sorted differences D = y_j − x_i, k as in `intervalDepth`. When no k >= 1 exists (e.g. 3 against 3 at 95 %:
 * even the most extreme ordering has probability 1/20 > 2.5 %), the data cannot bound the shift and the interval is
 * (−∞, +∞) rather than a narrower one with less coverage than asked.
 */
export function hodgesLehmannShift(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  assertSample("x", x);
  assertSample("y", y);
  assertConfidence(confidence);
  const differences = new Float64Array(x.length * y.length);
  x.forEach((xi, i) => {
    y.forEach((yj, j) => {
      differences[i * y.length + j] = yj - xi;
    });
  });
  return estimateFrom(differences, intervalDepth(x, y, confidence));
}

/** The median of the candidate values and the interval [v(k), v(count + 1 − k)] (open when k < 1); sorts them. */
function estimateFrom(values: Float64Array, depth: { k: number; exact: boolean }): ShiftEstimate {
  values.sort();
  const count = values.length;
  const shift = median(values);
  const { k, exact } = depth;
  if (k < 1) return { shift, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, exact };
  return { shift, lower: values[k - 1] as number, upper: values[count - k] as number, exact };
}

/**
 * How deep into the sorted Walsh averages the paired interval's ends sit (k): the signed-rank counterpart of
 * `intervalDepth`. Exact (n <= 50, no repeated difference): the largest k with P(R+ <= k − 1) <= (1 − confidence)/2.
 * Normal: k = ⌊N/2 + 1/2 − z·σ⌋ with N = n(n + 1)/2 and σ² = n(n + 1)(2n + 1)/24 − Σ(t³ − t)/48.
 *
 * Ties: shifting every difference by a candidate Δ keeps equal differences equal (they tie in |d − Δ|) and moves
 * every other coincidence away (|d_i| = |d_j| of opposite signs, a zero), so only repeated values of d count.
 */
function pairedIntervalDepth(d: readonly number[], confidence: number): { k: number; exact: boolean } {
  const n = d.length;
  const tail = (1 - confidence) / 2;
  const tieTerm = tieTermOf(d);
  if (n <= EXACT_WILCOXON_MAX_SIZE && tieTerm === 0) {
    return { k: exactDepth(signedRankCounts(n), 2 ** n, tail), exact: true };
  }
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const walsh = (n * (n + 1)) / 2;
  return { k: Math.max(0, Math.floor(walsh / 2 + 0.5 - normalUpperQuantile(tail) * sigma)), exact: false };
}

/**
 * Hodges–Lehmann estimate of the centre of paired differences d (head − base, one per matched pair): the median of
 * the n(n + 1)/2 Walsh averages (d_i + d_j)/2, i <= j, with the distribution-free interval that inverts the
 * two-sided signed-rank test, [W(k), W(N + 1 − k)] (k as in `pairedIntervalDepth`). A drift common to both members
 * of a pair cancels in its difference, which the two-sample shift cannot do. Open (±∞) when no k >= 1 exists.
 */
export function hodgesLehmannPairedShift(d: readonly number[], confidence = 0.95): ShiftEstimate {
  assertSample("d", d);
  assertConfidence(confidence);
  const n = d.length;
  const averages = new Float64Array((n * (n + 1)) / 2);
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) averages[next++] = ((d[i] as number) + (d[j] as number)) / 2;
  }
  return estimateFrom(averages, pairedIntervalDepth(d, confidence));
}
