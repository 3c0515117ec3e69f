/** How Go writes a float32: what Ollama's client sends for a float PARAMETER. */

/**
 * How Go's encoding/json writes a float32 (Ollama's float parameters are float32): the shortest decimal
 * that reads back as the same float32 (`strconv.AppendFloat(b, f, 'f' or 'e', -1, 32)`), in exponent form
 * below 1e-6 and from 1e21 on, with the exponent's leading zero dropped (`1e-07` → `1e-7`). `value` must be
 * a finite float32; encoding/json refuses infinities and NaN (see `jsonUnsupportedValueMessage`).
 */
export function formatFloat32Json(value: number): string {
  if (!Number.isFinite(value) || Math.fround(value) !== value) throw new RangeError(`not a finite float32: ${value}`);
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const abs = Math.abs(value);
  if (abs === 0) return `${sign}0`;
  const { digits, pointAt } = shortestFloat32Digits(abs);
  if (abs < Math.fround(1e-6) || abs >= Math.fround(1e21)) {
    // %e: d.ddde±dd, then encoding/json's "e-09 → e-9".
    const exponent = pointAt - 1;
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exponentText = Math.abs(exponent) < 10 && exponent >= 0 ? `0${exponent}` : `${Math.abs(exponent)}`;
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${exponentText}`;
  }
  // %f with as many decimals as the digits need.
  if (pointAt <= 0) return `${sign}0.${"0".repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${"0".repeat(pointAt - digits.length)}`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/** The text Go's encoding/json fails with for an infinite or NaN float: `json: unsupported value: +Inf`. */
export function jsonUnsupportedValueMessage(value: number): string {
  // strconv.FormatFloat(f, 'g', -1, 32) of the value.
  const text = Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  return `json: unsupported value: ${text}`;
}

/**
 * The shortest decimal digits that round back to the float32 `value` (> 0), and where the decimal point
 * goes (`value ≈ 0.digits × 10^pointAt`). Among shortest candidates, the one closest to `value`; a tie goes
 * to the even one (Go's Ryū). The float32 rounds to nearest, ties to even, so the interval of decimals that
 * read back as `value` includes its ends exactly when its mantissa is even.
 */
function shortestFloat32Digits(value: number): { digits: string; pointAt: number } {
  // value = mantissa × 2^e exactly, mantissa < 2^24.
  let e = Math.max(Math.floor(Math.log2(value)) - 23, -149);
  while (value / 2 ** e >= 2 ** 24) e++;
  while (e > -149 && value / 2 ** e < 2 ** 23) e--;
  const mantissa = BigInt(value / 2 ** e);
  // The gap to the next float32 below is half as wide at a power of two (except for the smallest exponent).
  const lowerGapHalved = mantissa === 1n << 23n && e > -149;
  const inclusive = (mantissa & 1n) === 0n;

  let decimalExponent = Math.floor(Math.log10(value));
  for (let precision = 1; precision <= 9; precision++) {
    // Candidates k × 10^n and (k + 1) × 10^n around value, with `precision` digits.
    let n = decimalExponent - precision + 1;
    // Everything scaled by 2^a × 10^b so that it is an integer.
    const scaled = (n: number) => {
      const a = Math.max(0, 2 - e);
      const b = Math.max(0, -n);
      const scale = (x: bigint, powerOf2: number, powerOf10: number) =>
        x * (1n << BigInt(powerOf2 + a)) * 10n ** BigInt(powerOf10 + b);
      return {
        value: scale(mantissa, e, 0),
        low: scale(mantissa * 4n - (lowerGapHalved ? 1n : 2n), e - 2, 0),
        high: scale(mantissa * 4n + 2n, e - 2, 0),
        unit: scale(1n, 0, n),
      };
    };
    let s = scaled(n);
    let k = s.value / s.unit;
    // Correct a misestimated decimal exponent (log10 of a value near a power of ten).
    if (k >= 10n ** BigInt(precision)) {
      decimalExponent++;
      n++;
      s = scaled(n);
      k = s.value / s.unit;
    } else if (k < 10n ** BigInt(precision - 1)) {
      decimalExponent--;
      n--;
      s = scaled(n);
      k = s.value / s.unit;
    }
    const fits = (candidate: bigint) => {
      const at = candidate * s.unit;
      return inclusive ? s.low <= at && at <= s.high : s.low < at && at < s.high;
    };
    const below = fits(k) ? k : undefined;
    const above = fits(k + 1n) ? k + 1n : undefined;
    let chosen: bigint | undefined;
    if (below !== undefined && above !== undefined) {
      const distanceBelow = s.value - below * s.unit;
      const distanceAbove = above * s.unit - s.value;
      chosen =
        distanceBelow < distanceAbove
          ? below
          : distanceAbove < distanceBelow
            ? above
            : below % 2n === 0n
              ? below
              : above;
    } else {
      chosen = below ?? above;
    }
    if (chosen === undefined) continue;
    const text = chosen.toString();
    const digits = text.replace(/0+$/, "");
    return { digits, pointAt: n + text.length };
  }
  throw new Error(`no float32 shortest form found for ${value}`);
}
