/**
 * The parts of Go's `strconv` that decide what Ollama accepts: `ParseInt(s, 10, 64)`, `ParseFloat(s, 32)` and
 * `ParseBool` for PARAMETER values (each returns undefined where Go returns an error), and `IsPrint`, which
 * decides what the Modelfile parser keeps and what text/template's lexer accepts.
 */
import { type FloatLiteral, roundToFloat32 } from "./go-float32-round.js";
import { PRINTABLE_RANGES } from "./unicode-printable.js";

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
 * Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space, by the Unicode
 * 15.0 tables of the Go that builds Ollama, not by this JavaScript engine's (newer) Unicode version: a
 * character that Unicode assigned after 15.0 is not printable, as for Ollama.
 */
export function isPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  if (cp < 0xa1) return false;
  // Binary search for the last range that starts at or before cp.
  let low = 0;
  let high = PRINTABLE_RANGES.length / 2 - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((PRINTABLE_RANGES[2 * middle] as number) <= cp) low = middle;
    else high = middle - 1;
  }
  return (PRINTABLE_RANGES[2 * low] as number) <= cp && cp <= (PRINTABLE_RANGES[2 * low + 1] as number);
}
