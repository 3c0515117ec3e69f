/**
 * The parts of Go's `strconv` that decide whether Ollama accepts a PARAMETER value: `ParseInt(s, 10, 64)`,
 * `ParseFloat(s, 32)` and `ParseBool`. Each returns undefined where Go returns an error.
 */

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export function parseGoInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const value = BigInt(s);
  return value > INT64_MAX || value < INT64_MIN ? undefined : value;
}

const TRUE_VALUES = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_VALUES = new Set(["0", "f", "F", "FALSE", "false", "False"]);

export function parseGoBool(s: string): boolean | undefined {
  if (TRUE_VALUES.has(s)) return true;
  if (FALSE_VALUES.has(s)) return false;
  return undefined;
}

/**
 * `ParseFloat(s, 32)`: Go float literal syntax (decimal or hex, `_` between digits), inf/infinity/nan. The
 * result is the float32 value (exactly, as a JavaScript number); undefined also where Go reports ErrRange,
 * i.e. where the value rounds beyond the largest float32.
 */
export function parseGoFloat32(s: string): number | undefined {
  const special = parseSpecial(s);
  if (special !== undefined) return special;
  const literal = readFloat(s);
  if (literal === undefined) return undefined;
  const magnitude = roundToFloat32(literal);
  if (magnitude === undefined) return undefined;
  return literal.negative ? -magnitude : magnitude;
}

function parseSpecial(s: string): number | undefined {
  const lower = s.toLowerCase();
  let sign = 1;
  let body = lower;
  if (body.startsWith("+") || body.startsWith("-")) {
    if (body.startsWith("-")) sign = -1;
    body = body.slice(1);
    if (body === "inf" || body === "infinity") return sign * Number.POSITIVE_INFINITY;
    return undefined;
  }
  if (body === "inf" || body === "infinity") return Number.POSITIVE_INFINITY;
  if (body === "nan") return Number.NaN;
  return undefined;
}

const isDecimalDigit = (c: string) => c >= "0" && c <= "9";
const isHexDigit = (c: string) => isDecimalDigit(c) || (c.toLowerCase() >= "a" && c.toLowerCase() <= "f");

/** A float literal's exact value: `digits × base^exponent`, base 10 for decimal and 2 for hex literals. */
interface FloatLiteral {
  negative: boolean;
  hex: boolean;
  /** The mantissa's digits (decimal or hex), without the point. */
  digits: string;
  exponent: number;
  /** How many significant digits (after leading zeros) stand before the point. */
  integerDigits: number;
}

/** Go's `readFloat` followed by the check that it consumed the whole string. */
function readFloat(s: string): FloatLiteral | undefined {
  let i = 0;
  let negative = false;
  if (s[i] === "+" || s[i] === "-") {
    negative = s[i] === "-";
    i++;
  }
  const hex = i + 2 < s.length && s[i] === "0" && s[i + 1]?.toLowerCase() === "x";
  if (hex) i += 2;
  const isDigit = hex ? isHexDigit : isDecimalDigit;

  let digits = "";
  let fractionDigits = 0;
  let sawDot = false;
  let sawDigits = false;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "_") continue;
    if (c === ".") {
      if (sawDot) break;
      sawDot = true;
      continue;
    }
    if (!isDigit(c)) break;
    sawDigits = true;
    digits += c;
    if (sawDot) fractionDigits++;
  }
  if (!sawDigits) return undefined;

  let exponent = 0;
  const exponentChar = hex ? "p" : "e";
  if (i < s.length && s[i]?.toLowerCase() === exponentChar) {
    i++;
    let exponentSign = 1;
    if (s[i] === "+") i++;
    else if (s[i] === "-") {
      exponentSign = -1;
      i++;
    }
    if (i >= s.length || !isDecimalDigit(s[i] as string)) return undefined;
    for (; i < s.length && (isDecimalDigit(s[i] as string) || s[i] === "_"); i++) {
      // Go stops accumulating once the exponent reaches 10000 (later digits are read but ignored).
      if (s[i] !== "_" && exponent < 10000) exponent = exponent * 10 + Number(s[i]);
    }
    exponent *= exponentSign;
  } else if (hex) {
    return undefined; // a hex float must have a p exponent
  }
  if (i !== s.length) return undefined;
  if (s.includes("_") && !underscoreOK(s)) return undefined;
  const integerDigits = digits.slice(0, digits.length - fractionDigits).replace(/^0+/, "").length;
  return {
    negative,
    hex,
    digits,
    exponent: hex ? exponent - 4 * fractionDigits : exponent - fractionDigits,
    integerDigits,
  };
}

/**
 * More significant decimal digits than any float32 rounding decision needs (a float32 halfway point has at
 * most 112): the rest only matter as "something non-zero follows", which a final 1 stands for.
 */
const MAX_DECIMAL_DIGITS = 200;

/** The literal's magnitude correctly rounded to float32 (round half to even), or undefined on overflow. */
function roundToFloat32(literal: FloatLiteral): number | undefined {
  const digits = literal.digits.replace(/^0+/, "");
  let exponent = literal.exponent;
  if (digits === "") return 0;
  if (literal.hex) {
    const mantissa = BigInt(`0x${digits}`);
    // Magnitude in [2^(bits-1+exponent), 2^(bits+exponent)).
    const bits = mantissa.toString(2).length;
    if (bits + exponent > 129) return undefined; // ≥ 2^128
    if (bits + exponent < -150) return 0; // < 2^-151: below half the smallest denormal
    return exponent >= 0
      ? roundRational(mantissa << BigInt(exponent), 1n)
      : roundRational(mantissa, 1n << BigInt(-exponent));
  }
  if (literal.integerDigits > GO_DECIMAL_DIGITS && !goFastPathSucceeds(digits, exponent)) {
    // Go's exact (slow) path keeps the first 800 digits, and puts the point after the 800th when more
    // digits than that stand before it: the value loses the factor 10^(integer digits - 800).
    exponent -= literal.integerDigits - GO_DECIMAL_DIGITS;
  }
  return roundDecimal(digits, exponent);
}

/** digits × 10^exponent (digits without leading zeros, not empty) rounded to float32. */
function roundDecimal(significant: string, exponent: number): number | undefined {
  let digits = significant;
  // Magnitude in [10^(length-1+exponent), 10^(length+exponent)).
  if (digits.length + exponent > 40) return undefined; // ≥ 10^39 > 2^128
  if (digits.length + exponent < -46) return 0; // < 10^-46 < 2^-151
  if (digits.length > MAX_DECIMAL_DIGITS) {
    const sticky = /[1-9]/.test(digits.slice(MAX_DECIMAL_DIGITS)) ? "1" : "0";
    exponent += digits.length - MAX_DECIMAL_DIGITS - 1;
    digits = digits.slice(0, MAX_DECIMAL_DIGITS) + sticky;
  }
  const mantissa = BigInt(digits);
  return exponent >= 0
    ? roundRational(mantissa * 10n ** BigInt(exponent), 1n)
    : roundRational(mantissa, 10n ** BigInt(-exponent));
}

/**
 * Go's ParseFloat is exact but for one quirk: its slow path (strconv's `decimal`, 800 digits) places the
 * point wrongly when more than 800 significant digits stand before it. The slow path runs only when the
 * fast path (Eisel-Lemire on the first 19 digits) cannot decide, so that is what is checked here.
 */
const GO_DECIMAL_DIGITS = 800;
const GO_MANTISSA_DIGITS = 19;

/** Whether Go's fast path decides `digits × 10^exponent` (digits: more than 19, no leading zeros). */
function goFastPathSucceeds(digits: string, exponent: number): boolean {
  const mantissa = BigInt(digits.slice(0, GO_MANTISSA_DIGITS));
  const exponent10 = exponent + digits.length - GO_MANTISSA_DIGITS;
  const truncated = /[1-9]/.test(digits.slice(GO_MANTISSA_DIGITS));
  if (!eiselLemire32Decides(mantissa, exponent10)) return false;
  if (!truncated) return true;
  // With digits cut off, the result stands only if mantissa + 1 gives the same float32.
  return (
    eiselLemire32Decides(mantissa + 1n, exponent10) &&
    roundDecimal(mantissa.toString(), exponent10) === roundDecimal((mantissa + 1n).toString(), exponent10)
  );
}

const MASK64 = (1n << 64n) - 1n;
const LOW38 = (1n << 38n) - 1n;
const powersOfTen = new Map<number, { high: bigint; low: bigint }>();

/** 10^q as a 128-bit mantissa (top bit set), rounded down, split into its high and low 64 bits. */
function powerOfTen128(q: number): { high: bigint; low: bigint } {
  let cached = powersOfTen.get(q);
  if (cached === undefined) {
    let mantissa: bigint;
    if (q >= 0) {
      const power = 10n ** BigInt(q);
      const shift = 128 - bitLength(power);
      mantissa = shift >= 0 ? power << BigInt(shift) : power >> BigInt(-shift);
    } else {
      const power = 10n ** BigInt(-q);
      // 2^k / 10^-q with k such that the quotient has 128 bits.
      let k = 127 + bitLength(power);
      if ((1n << BigInt(k)) / power >= 1n << 128n) k--;
      mantissa = (1n << BigInt(k)) / power;
    }
    cached = { high: mantissa >> 64n, low: mantissa & MASK64 };
    powersOfTen.set(q, cached);
  }
  return cached;
}

/**
 * Whether the Eisel-Lemire algorithm, as Go's strconv runs it for float32 (`eiselLemire32`), returns a
 * result for mantissa × 10^exponent10 rather than handing over to the slow path. When it does, the result is
 * the correctly rounded one, which `roundDecimal` computes anyway.
 */
function eiselLemire32Decides(mantissa: bigint, exponent10: number): boolean {
  if (mantissa === 0n) return true;
  if (exponent10 < -348 || exponent10 > 347) return false;
  const leadingZeros = 64 - bitLength(mantissa);
  const man = mantissa << BigInt(leadingZeros);
  let exponent2 = Math.floor((217706 * exponent10) / 65536) + 64 + 127 - leadingZeros;
  const power = powerOfTen128(exponent10);
  const product = man * power.high;
  let high = product >> 64n;
  let low = product & MASK64;
  if ((high & LOW38) === LOW38 && low + man > MASK64) {
    // The 64-bit approximation is not enough: widen it with the power's low half.
    const wider = man * power.low;
    let mergedLow = low + (wider >> 64n);
    let mergedHigh = high;
    if (mergedLow > MASK64) {
      mergedLow &= MASK64;
      mergedHigh++;
    }
    if ((mergedHigh & LOW38) === LOW38 && mergedLow === MASK64 && (wider & MASK64) + man > MASK64) return false;
    high = mergedHigh;
    low = mergedLow;
  }
  const topBit = high >> 63n;
  let result = high >> (topBit + 38n);
  exponent2 -= 1 - Number(topBit);
  // Exactly half-way between two float32s: undecided.
  if (low === 0n && (high & LOW38) === 0n && (result & 3n) === 1n) return false;
  result = (result + (result & 1n)) >> 1n;
  if (result >> 24n > 0n) exponent2++;
  // Denormal, zero or overflow: left to the slow path.
  return exponent2 > 0 && exponent2 < 0xff;
}

const bitLength = (n: bigint) => n.toString(2).length;

/** numerator / denominator (both > 0) rounded to float32, half to even; undefined when that is ≥ 2^128. */
function roundRational(numerator: bigint, denominator: bigint): number | undefined {
  // floor(log2(numerator / denominator)) is `estimate` or `estimate - 1`.
  const estimate = bitLength(numerator) - bitLength(denominator);
  const atLeast = (power: number) =>
    power >= 0 ? numerator >= denominator << BigInt(power) : numerator << BigInt(-power) >= denominator;
  const log2 = atLeast(estimate) ? estimate : estimate - 1;
  // The quantum 2^e: 24 significant bits for normal numbers, 2^-149 for denormals.
  const e = Math.max(log2 - 23, -149);
  const scaledNumerator = e >= 0 ? numerator : numerator << BigInt(-e);
  const scaledDenominator = e >= 0 ? denominator << BigInt(e) : denominator;
  let quotient = scaledNumerator / scaledDenominator;
  const twiceRemainder = 2n * (scaledNumerator - quotient * scaledDenominator);
  if (twiceRemainder > scaledDenominator || (twiceRemainder === scaledDenominator && (quotient & 1n) === 1n)) {
    quotient++;
  }
  // quotient × 2^e is exact in a double: quotient ≤ 2^24 and -149 ≤ e ≤ 104.
  const value = Number(quotient) * 2 ** e;
  return value >= 2 ** 128 ? undefined : value;
}

/** Underscores may stand only between digits, or between a base prefix and a digit (Go's `underscoreOK`). */
function underscoreOK(input: string): boolean {
  let s = input;
  if (s.startsWith("+") || s.startsWith("-")) s = s.slice(1);
  let saw: "^" | "0" | "_" | "!" = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "box".includes(s[1]?.toLowerCase() ?? "")) {
    i = 2;
    saw = "0";
    hex = s[1]?.toLowerCase() === "x";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (isDecimalDigit(c) || (hex && isHexDigit(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

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
