/**
 * The comparison statistics against SciPy 1.10.1. test/fixtures/stats-reference.json is a verbatim copy of SciPy's
 * results (shared data set, see its README: 150 Fisher tables, 150 Mann–Whitney pairs, 60 Wilcoxon samples); the
 * few cases the fixture lacks (Wilcoxon's normal approximation, zeros, half ranks) were computed with
 * `scipy.stats.wilcoxon` 1.10.1 and are written out below. The Hodges–Lehmann intervals (two-sample and paired)
 * have no SciPy counterpart: each is checked against a textbook example, a brute-force inversion of its exact test,
 * and its coverage on simulated data.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { erfc, normalUpperQuantile } from "../../src/statistics/normal.js";
import {
  fisherExact,
  hodgesLehmannPairedShift,
  hodgesLehmannShift,
  mannWhitneyU,
  type TwoByTwoTable,
  wilcoxonSignedRank,
} from "../../src/statistics/statistics.js";

interface Reference {
  scipy_version: string;
  fisher_exact: { table: TwoByTwoTable; p_two_sided: number; p_less: number; p_greater: number }[];
  mann_whitney_u: { x: number[]; y: number[]; u_x: number; p: number; method: string }[];
  wilcoxon_signed_rank: { d: number[]; statistic: number; p: number; method: string }[];
}

const reference: Reference = JSON.parse(
  readFileSync(new URL("../fixtures/stats-reference.json", import.meta.url), "utf8"),
);

/** 1e-9 relative; an absolute floor only where the reference is exactly 0 or 1, which have no relative scale. */
function expectAgrees(actual: number, expected: number, tolerance = 1e-9): void {
  if (expected === 0 || expected === 1) expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

const hasTies = (values: readonly number[]) => new Set(values).size < values.length;

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 0; i < k; i++) result = (result * (n - i)) / (i + 1);
  return result;
}

/** An exact two-sided p is 2·(count of orderings)/total; an approximate one is not a multiple of 2/total. */
const isExactRankP = (p: number, orderings: number) => {
  const count = (p * orderings) / 2;
  return Math.abs(count - Math.round(count)) < 1e-6;
};

describe("fisherExact matches scipy.stats.fisher_exact", () => {
  it("uses the SciPy version the fixture names", () => expect(reference.scipy_version).toBe("1.10.1"));

  it.each(reference.fisher_exact)("$table", ({ table, p_two_sided, p_less, p_greater }) => {
    expectAgrees(fisherExact(table, "two-sided"), p_two_sided);
    expectAgrees(fisherExact(table, "less"), p_less);
    expectAgrees(fisherExact(table, "greater"), p_greater);
  });

  it("counts tables that tie the observed one exactly (a mirror-image table is as extreme)", () => {
    // [[3, 0], [0, 3]]: the only tables as unlikely are itself and [[0, 3], [3, 0]], each 1/20.
    expect(
      fisherExact(
        [
          [3, 0],
          [0, 3],
        ],
        "two-sided",
      ),
    ).toBe(0.1);
  });

  it("rejects cells that are not counts", () => {
    expect(() =>
      fisherExact(
        [
          [1.5, 2],
          [3, 4],
        ],
        "less",
      ),
    ).toThrow(RangeError);
    expect(() =>
      fisherExact(
        [
          [-1, 2],
          [3, 4],
        ],
        "less",
      ),
    ).toThrow(RangeError);
  });

  it("stays exact for large tables", () => {
    // Margins of 2000: the BigInt weights run to about 600 digits. SciPy 1.10.1 gives 3.0148872515049064e-10 and
    // 1.5074436257524532e-10; the mirror-image tie makes two-sided exactly twice one tail.
    const table: TwoByTwoTable = [
      [1100, 900],
      [900, 1100],
    ];
    expectAgrees(fisherExact(table, "two-sided"), 3.0148872515049064e-10);
    expectAgrees(fisherExact(table, "greater"), 1.5074436257524532e-10);
    expect(fisherExact(table, "two-sided")).toBe(2 * fisherExact(table, "greater"));
  });
});

describe("mannWhitneyU matches scipy.stats.mannwhitneyu (two-sided, method='auto')", () => {
  it.each(reference.mann_whitney_u.map((c, i) => ({ ...c, name: `#${i} (${c.x.length} vs ${c.y.length})` })))(
    "$name",
    ({ x, y, u_x, p }) => {
      const result = mannWhitneyU(x, y);
      expect(result.uX).toBe(u_x);
      expectAgrees(result.p, p);
      // SciPy's rule (_mwu_choose_method): exact unless both samples exceed 8 or anything ties.
      const scipyMethod = Math.min(x.length, y.length) <= 8 && !hasTies([...x, ...y]) ? "exact" : "asymptotic";
      expect(result.method).toBe(scipyMethod);
    },
  );

  it("follows SciPy, not the fixture's method labels: a small sample against a large one is exact", () => {
    // The fixture labels a case exact only when both samples have under 8 values, but SciPy computed these p-values
    // from the exact distribution: each is a multiple of 2 / C(m + n, m).
    const relabelled = reference.mann_whitney_u.filter(
      (c) => c.method === "asymptotic" && !hasTies([...c.x, ...c.y]) && Math.min(c.x.length, c.y.length) <= 8,
    );
    expect(relabelled.length).toBe(49);
    for (const c of relabelled) {
      expect(isExactRankP(c.p, binomial(c.x.length + c.y.length, c.x.length))).toBe(true);
      expect(mannWhitneyU(c.x, c.y).method).toBe("exact");
    }
  });

  it("rejects empty samples and non-finite values", () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(RangeError);
  });
});

describe("wilcoxonSignedRank matches scipy.stats.wilcoxon (two-sided, defaults)", () => {
  it.each(reference.wilcoxon_signed_rank.map((c, i) => ({ ...c, name: `#${i} (n = ${c.d.length})` })))(
    "$name",
    ({ d, statistic, p }) => {
      const result = wilcoxonSignedRank(d);
      expect(result.statistic).toBe(statistic);
      expectAgrees(result.p, p);
      // SciPy 1.10.1's rule: exact for n <= 50 without zeros, ties or not.
      expect(result.method).toBe(d.length <= 50 && !d.includes(0) ? "exact" : "approx");
    },
  );

  it("follows SciPy, not the fixture's method label: tied |d| with n <= 50 is still exact", () => {
    const tied = reference.wilcoxon_signed_rank.filter((c) => c.method === "approx");
    expect(tied.length).toBe(1);
    for (const c of tied) {
      expect(hasTies(c.d.map(Math.abs))).toBe(true);
      expect(isExactRankP(c.p, 2 ** c.d.length)).toBe(true);
      expect(wilcoxonSignedRank(c.d).method).toBe("exact");
    }
  });

  // Computed with scipy.stats.wilcoxon(d) 1.10.1; the fixture has no case of these kinds.
  it.each([
    {
      name: "n = 60: normal approximation",
      d: [
        0.314, -0.029, -2.473, 3.645, 0.547, 1.712, 0.751, -0.32, 1.217, -1.718, 0.694, 0.964, -0.579, -0.601, 0.972,
        0.992, -0.742, -1.041, 2.493, 0.913, 0.429, -0.768, -0.489, -0.158, -0.159, -0.173, 2.458, 0.978, -1.017, 0.866,
        -1.552, -0.46, 0.017, 1.284, -0.849, 0.305, 0.49, -1.103, -0.041, 1.281, 0.391, -0.359, 0.135, 0.678, -0.416,
        -1.382, 1.401, 0.31, 0.013, 0.045, 1.536, 0.51, 1.666, 2.247, -1.153, 0.685, 0.857, 2.635, 0.856, 1.682,
      ],
      statistic: 621,
      p: 0.030440467413401947,
      method: "approx",
    },
    {
      name: "n = 55 with many ties: tie-corrected normal approximation",
      d: [
        -3, 2, 2, 3, -2, -1, -1, -1, 2, 1, 2, 4, -5, 1, 1, -1, -6, -2, -3, 2, -7, 2, -2, -1, 3, 1, 4, -4, -3, 2, 2, 1,
        1, -2, 3, 3, -4, -1, 2, -2, 1, -1, 5, 1, 6, 1, 3, 1, 3, 4, -2, 3, 1, -6, 1,
      ],
      statistic: 656,
      p: 0.3354597563791457,
      method: "approx",
    },
    {
      name: "zeros: dropped, and the approximation used",
      d: [0, 1.25, -0.5, 2, 0, 3.5, -1.75, 4, 2.25, 5, -0.25, 6],
      statistic: 7,
      p: 0.03665792867221451,
      method: "approx",
    },
    {
      name: "a half rank: R+ = 39.5 is truncated to 39 for the exact lookup",
      d: [1, -1, 2.5, 3, -4, 5, 6, 7, -8, 9],
      statistic: 15.5,
      p: 0.275390625,
      method: "exact",
    },
  ])("$name", ({ d, statistic, p, method }) => {
    const result = wilcoxonSignedRank(d);
    expect(result.statistic).toBe(statistic);
    expectAgrees(result.p, p);
    expect(result.method).toBe(method);
  });

  it("refuses all-zero differences, where the test says nothing", () => {
    expect(() => wilcoxonSignedRank([0, 0, 0])).toThrow(/every difference is zero/);
  });
});

describe("the normal tail", () => {
  // erfc from mpmath at 30 digits, rounded to the nearest double.
  it.each([
    [-3, 1.9999779095030015],
    [-1, 1.8427007929497148],
    [-0.2, 1.2227025892104784],
    [0, 1.0],
    [1e-8, 0.9999999887162083],
    [0.3, 0.6713732405408726],
    [0.999, 0.15771472979350307],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [2, 0.004677734981047266],
    [3.2, 6.025761151762095e-6],
    [5, 1.537459794428035e-12],
    [8, 1.1224297172982926e-29],
    [12, 1.3562611692059042e-64],
    [20, 5.395865611607901e-176],
    [26, 5.663192408856143e-296],
  ])("erfc(%d) to 1e-14 relative", (x, expected) => {
    expectAgrees(erfc(x), expected, 1e-14);
  });

  it("underflows to 0 and saturates at 2 at the ends", () => {
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
  });

  it("inverts to the familiar 1.959963984540054 for a 2.5 % tail", () => {
    expectAgrees(normalUpperQuantile(0.025), 1.9599639845400543, 1e-14);
  });
});

/** Deterministic standard normals (mulberry32 and Box–Muller), so the coverage check is the same on every run. */
function normalGenerator(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** The null distribution of U by listing every choice of which m of the ranks 1 … m + n belong to x. */
function bruteForceUCounts(m: number, n: number): number[] {
  const counts = new Array<number>(m * n + 1).fill(0);
  const choose = (next: number, left: number, rankSum: number) => {
    if (left === 0) {
      const u = rankSum - (m * (m + 1)) / 2;
      counts[u] = (counts[u] as number) + 1;
      return;
    }
    for (let rank = next; rank <= m + n - left + 1; rank++) choose(rank + 1, left - 1, rankSum + rank);
  };
  choose(1, m, 0);
  return counts;
}

/** Exact two-sided Mann–Whitney p of x against y by direct pair counting and the brute-force distribution. */
function bruteForceMannWhitneyP(x: readonly number[], y: readonly number[], counts: readonly number[]): number {
  let u = 0;
  for (const xi of x) for (const yj of y) u += xi > yj ? 1 : xi === yj ? 0.5 : 0;
  const smaller = Math.min(u, x.length * y.length - u);
  const total = counts.reduce((sum, c) => sum + c, 0);
  const lowerTail = counts.slice(0, Math.floor(smaller) + 1).reduce((sum, c) => sum + c, 0);
  return Math.min(1, (2 * lowerTail) / total);
}

describe("hodgesLehmannShift", () => {
  it("reproduces Hollander & Wolfe's chorioamnion permeability example (as R's wilcox.test conf.int)", () => {
    // Hollander & Wolfe, Nonparametric Statistical Methods; the example of R's ?wilcox.test. R 4.2.2:
    // wilcox.test(y, x, conf.int = TRUE) gives the estimate −0.305 and the 95 % interval [−0.76, 0.15].
    const term = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const early = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = hodgesLehmannShift(term, early);
    expect(result.exact).toBe(true);
    expectAgrees(result.shift, -0.305, 1e-12);
    expectAgrees(result.lower, -0.76, 1e-12);
    expectAgrees(result.upper, 0.15, 1e-12);
  });

  it("is the set of shifts the exact two-sided test does not reject (brute force over every ordering)", () => {
    const normal = normalGenerator(7);
    for (const [m, n, confidence] of [
      [4, 5, 0.95],
      [6, 6, 0.95],
      [5, 7, 0.9],
      [3, 8, 0.8],
      [7, 7, 0.99],
    ] as const) {
      const x = Array.from({ length: m }, normal);
      const y = Array.from({ length: n }, () => normal() + 0.5);
      const counts = bruteForceUCounts(m, n);
      const { lower, upper, exact } = hodgesLehmannShift(x, y, confidence);
      expect(exact).toBe(true);
      const differences = [...new Set(x.flatMap((xi) => y.map((yj) => yj - xi)))].sort((a, b) => a - b);
      // A shift between two neighbouring differences (or beyond either end) is inside the interval exactly when
      // the test of x against y − shift keeps it.
      const candidates = differences.slice(1).map((d, i) => (d + (differences[i] as number)) / 2);
      candidates.push((differences[0] as number) - 1, (differences.at(-1) as number) + 1);
      for (const shift of candidates) {
        const kept = bruteForceMannWhitneyP(
          x,
          y.map((yj) => yj - shift),
          counts,
        );
        // p <= 1 − confidence rejects; the slack keeps p = 10 % a rejection at 90 % despite binary rounding.
        expect(shift > lower && shift < upper).toBe(kept > (1 - confidence) * (1 + 1e-12));
      }
    }
  });

  it("cannot bound the shift from 3 against 3 at 95 % (every ordering has probability 1/20 > 2.5 %)", () => {
    const result = hodgesLehmannShift([1, 2, 3], [4, 5, 6]);
    expect(result).toEqual({ shift: 3, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY, exact: true });
    // At 90 % a tail of exactly 1/20 is allowed, although 1 − 0.9 is not exactly 0.1 in binary.
    expect(hodgesLehmannShift([1, 2, 3], [4, 5, 6], 0.9)).toMatchObject({ lower: 1, upper: 5 });
  });

  it("uses the normal approximation with within-sample ties, and only those", () => {
    // x and y share values (3 and 4) but neither repeats one: still exact.
    expect(hodgesLehmannShift([1, 2, 3, 4], [3, 4, 5, 6, 7]).exact).toBe(true);
    expect(hodgesLehmannShift([1, 2, 2, 4], [3, 4, 5, 6, 7]).exact).toBe(false);
  });

  it.each([
    [6, 6],
    [5, 12],
    [15, 15],
    [20, 40],
  ])("covers the true shift about 95 %% of the time for %d vs %d normal samples", (m, n) => {
    const normal = normalGenerator(m * 1000 + n);
    const trueShift = 1.3;
    const replicates = 2000;
    let covered = 0;
    let exact = false;
    for (let r = 0; r < replicates; r++) {
      const x = Array.from({ length: m }, normal);
      const y = Array.from({ length: n }, () => normal() + trueShift);
      const result = hodgesLehmannShift(x, y);
      exact = result.exact;
      if (result.lower <= trueShift && trueShift <= result.upper) covered++;
    }
    // Exact intervals cover at least 95 % by construction (here 1 − 2·P(U <= k − 1), computed by brute force);
    // the approximate ones aim at 95 %. 0.015 is three standard errors of a 2000-replicate proportion.
    let expected = 0.95;
    if (exact) {
      const counts = bruteForceUCounts(m, n);
      const total = counts.reduce((sum, c) => sum + c, 0);
      let k = 0;
      let below = 0;
      while ((below + (counts[k] as number)) / total <= 0.025) below += counts[k++] as number;
      expected = 1 - (2 * below) / total;
    }
    expect(exact).toBe(Math.min(m, n) <= 8);
    expect(Math.abs(covered / replicates - expected)).toBeLessThan(0.015);
  });

  it("rejects a confidence outside (0, 1)", () => {
    expect(() => hodgesLehmannShift([1, 2], [3, 4], 1)).toThrow(RangeError);
    expect(() => hodgesLehmannShift([1, 2], [3, 4], 0)).toThrow(RangeError);
  });
});

/** The null distribution of R+ by listing every sign pattern on the ranks 1 … n. */
function bruteForceSignedRankCounts(n: number): number[] {
  const counts = new Array<number>((n * (n + 1)) / 2 + 1).fill(0);
  for (let pattern = 0; pattern < 2 ** n; pattern++) {
    let rankSum = 0;
    for (let rank = 1; rank <= n; rank++) if (pattern & (1 << (rank - 1))) rankSum += rank;
    counts[rankSum] = (counts[rankSum] as number) + 1;
  }
  return counts;
}

const walshAverages = (d: readonly number[]) =>
  d.flatMap((di, i) => d.slice(i).map((dj) => (di + dj) / 2)).sort((a, b) => a - b);

describe("hodgesLehmannPairedShift", () => {
  it("reproduces Hollander & Wolfe's depression example (R's ?wilcox.test, paired): the pseudomedian 0.46", () => {
    const first = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const second = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const d = first.map((value, i) => value - (second[i] as number));
    const result = hodgesLehmannPairedShift(d);
    expect(result.exact).toBe(true);
    expectAgrees(result.shift, 0.46, 1e-12);
    // n = 9: P(R+ <= 5) = 10/512 <= 2.5 % < P(R+ <= 6) = 14/512, so the ends are the 6th and 40th of 45 averages.
    const averages = walshAverages(d);
    expect([result.lower, result.upper]).toEqual([averages[5], averages[39]]);
    expect(wilcoxonSignedRank(d).p).toBeCloseTo(0.0390625, 12);
  });

  it("is the set of centres the exact signed-rank test does not reject (brute force over every sign pattern)", () => {
    const normal = normalGenerator(11);
    for (const [n, confidence] of [
      [6, 0.9],
      [8, 0.95],
      [10, 0.95],
      [12, 0.99],
    ] as const) {
      const d = Array.from({ length: n }, () => normal() + 0.4);
      const counts = bruteForceSignedRankCounts(n);
      const total = 2 ** n;
      const { lower, upper, exact } = hodgesLehmannPairedShift(d, confidence);
      expect(exact).toBe(true);
      const averages = [...new Set(walshAverages(d))];
      const candidates = averages.slice(1).map((a, i) => (a + (averages[i] as number)) / 2);
      candidates.push((averages[0] as number) - 1, (averages.at(-1) as number) + 1);
      for (const centre of candidates) {
        // R+ of d − centre: the number of Walsh averages above it.
        const rPlus = walshAverages(d).filter((a) => a > centre).length;
        const atMost = counts.slice(0, rPlus + 1).reduce((sum, c) => sum + c, 0);
        const atLeast = counts.slice(rPlus).reduce((sum, c) => sum + c, 0);
        const p = Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
        expect(centre > lower && centre < upper).toBe(p > (1 - confidence) * (1 + 1e-12));
      }
    }
  });

  it("cannot bound the centre of 5 pairs at 95 % (the most extreme pattern has probability 1/32 > 2.5 %)", () => {
    expect(hodgesLehmannPairedShift([1, 2, 3, 4, 5])).toMatchObject({
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      exact: true,
    });
    expect(hodgesLehmannPairedShift([1, 2, 3, 4, 5, 6])).toMatchObject({ lower: 1, upper: 6 });
  });

  it("uses the normal approximation with a repeated difference, or more than 50 pairs", () => {
    expect(hodgesLehmannPairedShift([-1, 1, 2, 3, 4, 5]).exact).toBe(true);
    expect(hodgesLehmannPairedShift([1, 1, 2, 3, 4, 5]).exact).toBe(false);
    expect(hodgesLehmannPairedShift(Array.from({ length: 51 }, (_, i) => i)).exact).toBe(false);
  });

  it.each([[8], [20], [60]])("covers the true centre in about 95 of 100 samples of %i pairs", (n) => {
    const normal = normalGenerator(n * 7919);
    const trueShift = 0.7;
    const replicates = 2000;
    let covered = 0;
    for (let r = 0; r < replicates; r++) {
      // Each pair measured at its own moment: a drift five times the noise, common to both members of a pair.
      const d = Array.from({ length: n }, () => {
        const drift = 5 * normal();
        const [base, head] = [drift + normal(), drift + trueShift + normal()];
        return head - base;
      });
      const { lower, upper } = hodgesLehmannPairedShift(d);
      if (lower <= trueShift && trueShift <= upper) covered++;
    }
    // The exact interval covers at least 1 − 2·P(R+ <= k − 1) by construction; the normal one aims at 95 %.
    let expected = 0.95;
    if (n <= 50) {
      const counts = bruteForceSignedRankCounts(n);
      let k = 0;
      let below = 0;
      while ((below + (counts[k] as number)) / 2 ** n <= 0.025) below += counts[k++] as number;
      expected = 1 - (2 * below) / 2 ** n;
    }
    expect(Math.abs(covered / replicates - expected)).toBeLessThan(0.015);
  });
});
