/**
 * A float literal's exact value rounded to float32 as Go's `strconv.ParseFloat(s, 32)` rounds it: correctly
 * (half to even), except for the one quirk of Go's slow path, which is reproduced.
 */

/** A float literal's exact value: `digits × base^exponent`, base 10 for decimal and 2 for hex literals. */
export interface FloatLiteral {
  negative: boolean;
  hex: boolean;
  /** The mantissa's digits (decimal or hex), without the point. */
  digits: string;
  exponent: number;
  /** How many significant digits (after leading zeros) stand before the point. */
  integerDigits: number;
}

/**
 * More significant decimal digits than any float32 rounding decision needs (a float32 halfway point has at
 * most 112): the rest only matter as "something non-zero follows", which a final 1 stands for.
 */
const MAX_DECIMAL_DIGITS = 200;

/** The literal's magnitude correctly rounded to float32 (round half to even), or undefined on overflow. */
export function roundToFloat32(literal: FloatLiteral): number | undefined {
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
