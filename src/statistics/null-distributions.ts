/**
 * Exact null distributions for the rank tests and Fisher's test, by dynamic programming. Counts are kept as counts
 * (not probabilities) and only ever added, so nothing cancels: Mann–Whitney counts are exact integers while they stay
 * below 2^53 and within a few ulps after, signed-rank counts (at most 2^50 for the n <= 50 SciPy uses them for) are
 * exact, and the hypergeometric counts are BigInts, so Fisher's test can decide ties between tables exactly (a table
 * of 4 000 observations takes about 10 ms, one of 100 000 about 1.5 s).
 */

/**
 * counts[u] = the number of the C(m+n, m) orderings of m x's and n y's in which exactly u of the (x, y) pairs have
 * the x above the y, for u = 0 … m·n (the Mann–Whitney U of x). Built from f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u):
 * the largest of i + j values is either an x (above all j y's) or a y (above none). Cost about m²n²/4 additions;
 * pass the smaller sample size as m.
 */
export function mannWhitneyCounts(m: number, n: number): Float64Array {
  // rows[i] holds f(i, j, ·) for the current j; rows[0] is 1 at u = 0 for every j.
  const rows = Array.from({ length: m + 1 }, (_, i) => new Float64Array(i * n + 1));
  for (const row of rows) row[0] = 1;
  for (let j = 1; j <= n; j++) {
    for (let i = 1; i <= m; i++) {
      const current = rows[i] as Float64Array;
      const withXOnTop = rows[i - 1] as Float64Array; // already f(i−1, j, ·)
      // f(i, j−1, u) is zero for u > i(j−1), and f(i−1, j, u−j) for u−j > (i−1)j, so u stops at i·j.
      for (let u = j; u <= i * j; u++) current[u] = (current[u] as number) + (withXOnTop[u - j] as number);
    }
  }
  return rows[m] as Float64Array;
}

/**
 * counts[r] = the number of the 2^n sign patterns on ranks 1 … n whose positive ranks sum to r, r = 0 … n(n+1)/2
 * (the distribution of the signed-rank statistic R+). Adding rank k either leaves r or raises it by k.
 */
export function signedRankCounts(n: number): Float64Array {
  const counts = new Float64Array((n * (n + 1)) / 2 + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let r = (k * (k + 1)) / 2; r >= k; r--) counts[r] = (counts[r] as number) + (counts[r - k] as number);
  }
  return counts;
}

function binomial(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 0; i < k; i++) result = (result * BigInt(n - i)) / BigInt(i + 1);
  return result;
}

/**
 * The hypergeometric law of the top-left cell of a 2×2 table with row sums row1, row2 and first column sum column1:
 * weights[x − low] = C(row1, x) · C(row2, column1 − x) for x = low … high, the support; they add up to
 * C(row1 + row2, column1). Each weight follows from the previous by an exact BigInt division:
 *   w(x+1) = w(x) · (row1 − x)(column1 − x) / ((x + 1)(row2 − column1 + x + 1)).
 */
export function hypergeometricWeights(
  row1: number,
  row2: number,
  column1: number,
): { low: number; high: number; weights: bigint[] } {
  const low = Math.max(0, column1 - row2);
  const high = Math.min(column1, row1);
  const weights = [binomial(row1, low) * binomial(row2, column1 - low)];
  for (let x = low; x < high; x++) {
    const previous = weights[weights.length - 1] as bigint;
    weights.push(
      (previous * BigInt(row1 - x) * BigInt(column1 - x)) / (BigInt(x + 1) * BigInt(row2 - column1 + x + 1)),
    );
  }
  return { low, high, weights };
}

const bitLength = (value: bigint) => value.toString(2).length;

/**
 * numerator / denominator as the nearest double, for 0 <= numerator <= denominator (a probability). A 64-bit
 * quotient is formed in BigInt, so only its final rounding to 53 bits loses anything, however large the operands.
 */
export function bigRatio(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  const scale = bitLength(denominator) - bitLength(numerator);
  const quotient = (numerator << BigInt(scale + 64)) / denominator;
  return (Number(quotient) / 2 ** 64) * 2 ** -scale;
}
