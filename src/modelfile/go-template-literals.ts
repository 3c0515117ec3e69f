/**
 * The literal checks Go's template parser makes through `strconv` and `fmt`: `strconv.Unquote` on strings,
 * `strconv.UnquoteChar` on character constants, and `newNumber` (node.go), which tries `ParseUint`, `ParseInt`
 * and `ParseFloat` in turn, and `fmt.Sscan` for complex constants. Each function returns the error text Go
 * would report, or undefined when Go accepts the literal. Only validity is computed, never the values, except
 * where a value decides validity (integer range, float64 overflow).
 *
 * The inputs are tokens from go-template-lex.ts, so some of Go's paths cannot be reached and are left out:
 * a number token never spells `inf` or `nan` (strconv's special values), and `p` appears in a complex part
 * only after `0x` (fmt's own decimal-with-binary-exponent path).
 */
import { isPrint } from "./go-strconv.js";

const SYNTAX = "invalid syntax";
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/**
 * `strconv.Unquote` of a string token: its value as a byte string (one character per byte, as Go's strings are
 * bytes: "\xc3\xa9" and "é" are the same name), or undefined where Go reports invalid syntax.
 */
export function unquote(quoted: string): string | undefined {
  if (quoted.startsWith("`")) return utf8Bytes(quoted.slice(1, -1).replaceAll("\r", ""));
  let value = "";
  // The lexer guarantees the closing quote is the last character and the only unescaped one.
  for (let i = 1; i < quoted.length - 1; ) {
    const char = unquoteChar(quoted, i, '"');
    if (char === undefined) return undefined;
    value += char.bytes;
    i = char.end;
  }
  return value;
}

/** newNumber's check of a character constant such as `'a'` or `'\n'`. */
function charConstantError(text: string): string | undefined {
  const char = unquoteChar(text, 1, "'");
  if (char === undefined) return SYNTAX;
  return text.slice(char.end) === "'" ? undefined : `malformed character constant: ${text}`;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/**
 * `strconv.UnquoteChar(s[i:], quote)`: where the character ends and its bytes (`\x` and octal escapes give one
 * byte, anything else the UTF-8 of a rune), or undefined for ErrSyntax.
 */
function unquoteChar(s: string, i: number, quote: string): { end: number; bytes: string } | undefined {
  const c = s[i];
  if (c === undefined || c === quote) return undefined;
  if (c !== "\\") {
    const end = i + ((s.codePointAt(i) as number) > 0xffff ? 2 : 1);
    return { end, bytes: utf8Bytes(s.slice(i, end)) };
  }
  const escaped = s[i + 1] ?? "";
  const simple = SIMPLE_ESCAPES[escaped];
  if (simple !== undefined) return { end: i + 2, bytes: simple };
  if (escaped === "'" || escaped === '"') return escaped === quote ? { end: i + 2, bytes: escaped } : undefined;
  const hexLength = { x: 2, u: 4, U: 8 }[escaped as "x" | "u" | "U"];
  if (hexLength !== undefined) {
    const digits = s.slice(i + 2, i + 2 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) return undefined;
    const value = Number.parseInt(digits, 16);
    const end = i + 2 + hexLength;
    if (escaped === "x") return { end, bytes: String.fromCharCode(value) };
    // \u and \U must be valid runes.
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
    return { end, bytes: utf8Bytes(String.fromCodePoint(value)) };
  }
  const octal = s.slice(i + 1, i + 4);
  if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255) return undefined;
  return { end: i + 4, bytes: String.fromCharCode(Number.parseInt(octal, 8)) };
}

function utf8Bytes(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}

/** newNumber (node.go): the error for a number, complex or character-constant token. */
export function numberError(text: string, type: "number" | "complex" | "charConstant"): string | undefined {
  if (type === "charConstant") return charConstantError(text);
  if (type === "complex") return complexError(text);
  // Imaginary constants; then integers (so that 0x123 is one); then floats.
  if (text.endsWith("i") && parseFloat64(text.slice(0, -1)) === "ok") return undefined;
  if (parseUint64(text) !== undefined || isInt64(text)) return undefined;
  if (parseFloat64(text) !== "ok") return `illegal number syntax: ${goQuote(text)}`;
  // A float that looks like an integer is an integer too large for 64 bits (or "089").
  return /[.eEpP]/.test(text) ? undefined : `integer overflow: ${goQuote(text)}`;
}

/** `strconv.ParseUint(s, 0, 64)`: the value, or undefined for any error. */
function parseUint64(s: string): bigint | undefined {
  if (s === "") return undefined;
  let base = 10n;
  let digits = s;
  if (s[0] === "0") {
    const prefix =
      s.length >= 3 ? { b: 2n, o: 8n, x: 16n }[(s[1] as string).toLowerCase() as "b" | "o" | "x"] : undefined;
    base = prefix ?? 8n;
    digits = s.slice(prefix === undefined ? 1 : 2);
  }
  let value = 0n;
  for (const c of digits) {
    if (c === "_") continue;
    const digit = Number.parseInt(c, 36);
    if (Number.isNaN(digit) || BigInt(digit) >= base) return undefined;
    value = value * base + BigInt(digit);
    if (value > MAX_UINT64) return undefined;
  }
  return digits.includes("_") && !underscoreOK(s) ? undefined : value;
}

/** `strconv.ParseInt(s, 0, 64) == nil`. */
function isInt64(s: string): boolean {
  const negative = s[0] === "-";
  const unsigned = parseUint64(s[0] === "+" || negative ? s.slice(1) : s);
  return unsigned !== undefined && unsigned <= (negative ? MAX_INT64 + 1n : MAX_INT64);
}

/** strconv's `underscoreOK`: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(number: string): boolean {
  let s = number;
  if (s[0] === "+" || s[0] === "-") s = s.slice(1);
  let saw = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] as string)) {
    i = 2;
    saw = "0"; // the base prefix counts as a digit
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}

type FloatStatus = "ok" | "syntax" | "range";

/** `strconv.ParseFloat(s, 64)`: ok, invalid syntax, or out of range (beyond the largest float64). */
function parseFloat64(s: string): FloatStatus {
  const literal = readFloat(s);
  if (literal === undefined || literal.end !== s.length) return "syntax";
  if (/^0*$/.test(literal.digits)) return "ok";
  return (literal.hex ? hexOverflows(literal) : decimalOverflows(literal)) ? "range" : "ok";
}

interface FloatLiteral {
  hex: boolean;
  /** The significant digits, leading zeros dropped: the value is 0.digits × base^point (base 10, or 2 for hex). */
  digits: string;
  point: number;
  /** Where the literal ends in the input. */
  end: number;
}

/** strconv's `readFloat`: the longest float literal at the start of s, as Go reads it (exponents capped). */
function readFloat(s: string): FloatLiteral | undefined {
  let i = s[0] === "+" || s[0] === "-" ? 1 : 0;
  const hex = i + 2 < s.length && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X");
  if (hex) i += 2;
  const isDigit = hex ? (c: string) => /[0-9a-fA-F]/.test(c) : (c: string) => c >= "0" && c <= "9";
  let underscores = false;
  let sawDot = false;
  let sawDigits = false;
  let digits = "";
  let point = 0;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "_") underscores = true;
    else if (c === ".") {
      if (sawDot) break;
      sawDot = true;
      point = digits.length;
    } else if (isDigit(c)) {
      sawDigits = true;
      if (c === "0" && digits === "")
        point--; // a leading zero
      else digits += c;
    } else break;
  }
  if (!sawDigits) return undefined;
  if (!sawDot) point = digits.length;
  if (hex) point *= 4;
  const expChar = hex ? "p" : "e";
  if (s[i]?.toLowerCase() === expChar) {
    const exponent = /^([+-]?)([0-9][0-9_]*)/.exec(s.slice(i + 1));
    if (exponent === null) return undefined;
    const [whole, sign, expDigits] = exponent as unknown as [string, string, string];
    if (expDigits.includes("_")) underscores = true;
    point += (sign === "-" ? -1 : 1) * cappedExponent(expDigits);
    i += 1 + whole.length;
  } else if (hex) {
    return undefined; // a hex mantissa requires a 'p' exponent
  }
  if (underscores && !underscoreOK(s.slice(0, i))) return undefined;
  return { hex, digits, point, end: i };
}

/** Go stops accumulating exponent digits once the exponent reaches 10000. */
function cappedExponent(digits: string): number {
  let e = 0;
  for (const c of digits) if (c !== "_" && e < 10000) e = e * 10 + Number(c);
  return e;
}

function decimalOverflows({ digits, point }: FloatLiteral): boolean {
  // JavaScript's parse rounds to nearest as Go's does, so both overflow on the same inputs.
  return !Number.isFinite(Number(`0.${digits}e${point}`));
}

/** Whether 0x0.digits × 2^point, rounded to 53 bits (half to even), reaches 2^1024. */
function hexOverflows({ digits, point }: FloatLiteral): boolean {
  let mantissa = BigInt(`0x${digits}`);
  const bits = mantissa.toString(2).length;
  let top = bits - 1 + point - 4 * digits.length; // the exponent of the leading bit
  if (bits > 53) {
    const shift = BigInt(bits - 53);
    const rest = mantissa & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    mantissa >>= shift;
    if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa++;
    if (mantissa === 1n << 53n) top++;
  }
  return top > 1023;
}

const ERR_COMPLEX = "syntax error scanning complex number";

/**
 * `fmt.Sscan(text, &complex128)`: fmt's own scan of the two parts (`complexTokens`, `floatToken`), then
 * `strconv.ParseFloat` on each. Text after the closing `i` would be ignored, but the lexer leaves none.
 */
function complexError(text: string): string | undefined {
  const scanner = { text, pos: 0 };
  const real = floatToken(scanner);
  if (!accept(scanner, "+-")) return ERR_COMPLEX;
  const imaginary = text[scanner.pos - 1] + floatToken(scanner);
  if (!accept(scanner, "i")) return ERR_COMPLEX;
  return convertFloatError(real) ?? convertFloatError(imaginary);
}

interface Scanner {
  text: string;
  pos: number;
}

function accept(scanner: Scanner, valid: string): boolean {
  const c = scanner.text[scanner.pos];
  if (c === undefined || !valid.includes(c)) return false;
  scanner.pos++;
  return true;
}

/** fmt's `floatToken`: the characters it accepts, including a stray `i` from a failed "inf". */
function floatToken(scanner: Scanner): string {
  const start = scanner.pos;
  const token = () => scanner.text.slice(start, scanner.pos);
  if (accept(scanner, "nN") && accept(scanner, "aA") && accept(scanner, "nN")) return token();
  accept(scanner, "+-");
  if (accept(scanner, "iI") && accept(scanner, "nN") && accept(scanner, "fF")) return token();
  let digits = "0123456789_";
  let exponent = "eEpP";
  if (accept(scanner, "0") && accept(scanner, "xX")) {
    digits = "0123456789aAbBcCdDeEfF_";
    exponent = "pP";
  }
  while (accept(scanner, digits)) {}
  if (accept(scanner, ".")) while (accept(scanner, digits)) {}
  if (accept(scanner, exponent)) {
    accept(scanner, "+-");
    while (accept(scanner, "0123456789_")) {}
  }
  return token();
}

function convertFloatError(part: string): string | undefined {
  const status = parseFloat64(part);
  if (status === "ok") return undefined;
  return `strconv.ParseFloat: parsing ${goQuote(part)}: ${status === "syntax" ? SYNTAX : "value out of range"}`;
}

/** Go's `%#U`: `U+0022 '"'`, the character itself only when it is printable. */
export function formatUnicode(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrint(r) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

/** Go's `strconv.Quote` (and so `%q`) of a JavaScript string, as Go sees it: in UTF-8. */
export function goQuote(s: string): string {
  return goQuoteBytes(Buffer.from(s, "utf8").toString("latin1"));
}

/** `strconv.Quote` of a byte string (one character per byte): printable runes as they are, others escaped. */
export function goQuoteBytes(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const rune = decodeRune(bytes, i);
    out += rune === undefined ? `\\x${bytes.charCodeAt(i).toString(16).padStart(2, "0")}` : quoteRune(rune);
    i += rune === undefined ? 1 : utf8Length(rune);
  }
  return `${out}"`;
}

/** The rune whose UTF-8 starts at bytes[i], or undefined where Go's DecodeRune gives (RuneError, 1). */
function decodeRune(bytes: string, i: number): number | undefined {
  const lead = bytes.charCodeAt(i);
  if (lead < 0x80) return lead;
  const length =
    lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  const encoded = Buffer.from(bytes.slice(i, i + length), "latin1");
  const decoded = encoded.toString("utf8");
  // Node's decoder turns overlong forms, surrogates and truncated sequences into U+FFFD, which re-encodes
  // differently; a valid sequence survives the round trip.
  if (length === 0 || !Buffer.from(decoded, "utf8").equals(encoded)) return undefined;
  return decoded.codePointAt(0);
}

function utf8Length(rune: number): number {
  return rune < 0x80 ? 1 : rune < 0x800 ? 2 : rune < 0x10000 ? 3 : 4;
}

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, "\\a"],
  [0x08, "\\b"],
  [0x0c, "\\f"],
  [0x0a, "\\n"],
  [0x0d, "\\r"],
  [0x09, "\\t"],
  [0x0b, "\\v"],
]);

function quoteRune(r: number): string {
  if (r === 0x22 || r === 0x5c) return `\\${String.fromCodePoint(r)}`;
  if (isPrint(r)) return String.fromCodePoint(r);
  const short = SHORT_ESCAPES.get(r);
  if (short !== undefined) return short;
  if (r < 0x20 || r === 0x7f) return `\\x${r.toString(16).padStart(2, "0")}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, "0")}`;
  return `\\U${r.toString(16).padStart(8, "0")}`;
}

export function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

const LETTER = /^\p{L}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * Go's `isAlphaNumeric`: `_`, `unicode.IsLetter` or `unicode.IsDigit`, by Go's Unicode 15.0 tables. This
 * engine's tables are newer, so a letter or digit must also be printable by the 15.0 table (letters and
 * digits assigned later are not).
 */
export function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) return r === 0x5f || (r >= 0x30 && r <= 0x39) || ((r | 0x20) >= 0x61 && (r | 0x20) <= 0x7a);
  const ch = String.fromCodePoint(r);
  return (LETTER.test(ch) || DECIMAL_DIGIT.test(ch)) && isPrint(r);
}
