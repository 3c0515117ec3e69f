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

/** `ParseFloat(s, 32)`: Go float literal syntax (decimal or hex, `_` between digits), inf/infinity/nan. */
export function parseGoFloat32(s: string): number | undefined {
  const special = parseSpecial(s);
  if (special !== undefined) return special;
  const value = readFloat(s);
  if (value === undefined) return undefined;
  // Go reports ErrRange when the value rounds beyond the largest float32. The float64 value is kept: it
  // prints as the user wrote it, as Go's float32 does when Ollama encodes the request.
  return Number.isFinite(Math.fround(value)) ? value : undefined;
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

/** Go's `readFloat` followed by the check that it consumed the whole string. */
function readFloat(s: string): number | undefined {
  let i = 0;
  let negative = false;
  if (s[i] === "+" || s[i] === "-") {
    negative = s[i] === "-";
    i++;
  }
  const hex = i + 2 < s.length && s[i] === "0" && s[i + 1]?.toLowerCase() === "x";
  if (hex) i += 2;
  const isDigit = hex ? isHexDigit : isDecimalDigit;

  let mantissa = "";
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
    mantissa += c;
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
    let digits = "";
    for (; i < s.length && (isDecimalDigit(s[i] as string) || s[i] === "_"); i++) {
      if (s[i] !== "_") digits += s[i];
    }
    exponent = exponentSign * Math.min(Number(digits), 100000);
  } else if (hex) {
    return undefined; // a hex float must have a p exponent
  }
  if (i !== s.length) return undefined;
  if (s.includes("_") && !underscoreOK(s)) return undefined;

  const magnitude = hex
    ? Number.parseInt(mantissa, 16) * 2 ** (exponent - 4 * fractionDigits)
    : Number(
        `${mantissa.slice(0, mantissa.length - fractionDigits) || "0"}.${mantissa.slice(mantissa.length - fractionDigits) || "0"}e${exponent}`,
      );
  return negative ? -magnitude : magnitude;
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
