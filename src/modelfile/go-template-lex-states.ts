/**
 * The state functions of Go's template lexer (`lex.go`): text and comments between actions, and the items
 * inside an action. Each reads from the Lexer (go-template-lex.ts) and either returns the next state or emits
 * an item.
 */
import { isPrint } from "./go-strconv.js";
import type { Lexer } from "./go-template-lex.js";
import { formatUnicode, goQuote, isAlphaNumeric, isSpace } from "./go-template-literals.js";
import { KEYWORDS, type Keyword } from "./go-template-tokens.js";

export const EOF = -1;
const LEFT_DELIM = "{{";
export const RIGHT_DELIM = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
/** A trim marker is `-` plus the ASCII space that must separate it from the delimiter's contents. */
export const TRIM_MARKER_LENGTH = 2;
export const NEWLINE = 0x0a;

/** A state function: it either returns the next state or sets `lexer.item` and returns null. */
export type StateFn = (l: Lexer) => StateFn | null;

export function lexText(l: Lexer): StateFn | null {
  const x = l.input.indexOf(LEFT_DELIM, l.pos);
  if (x < 0) {
    l.pos = l.input.length;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      return l.emit("text");
    }
    return l.emit("eof");
  }
  if (x > l.pos) {
    l.pos = x;
    // A `{{- ` trims the spaces before it, which are skipped rather than emitted.
    const trimLength = hasLeftTrimMarker(l.input, l.pos + LEFT_DELIM.length)
      ? rightTrimLength(l.input.slice(l.start, l.pos))
      : 0;
    l.pos -= trimLength;
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    const item = l.thisItem("text");
    l.pos += trimLength;
    l.ignore();
    if (item.val.length > 0) return l.emitItem(item);
  }
  return lexLeftDelim;
}

function lexLeftDelim(l: Lexer): StateFn | null {
  l.pos += LEFT_DELIM.length;
  const afterMarker = hasLeftTrimMarker(l.input, l.pos) ? TRIM_MARKER_LENGTH : 0;
  if (l.at(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  const item = l.thisItem("leftDelim");
  l.insideAction = true;
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return l.emitItem(item);
}

function lexComment(l: Lexer): StateFn | null {
  l.pos += LEFT_COMMENT.length;
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf("unclosed comment");
  l.pos = x + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf("comment ends before closing delimiter");
  l.line += countNewlines(l.input.slice(l.start, l.pos));
  l.thisItem("comment"); // text/template never asks for comments, so the item is dropped
  if (trimSpaces) l.pos += TRIM_MARKER_LENGTH;
  l.pos += RIGHT_DELIM.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn | null {
  const { trimSpaces } = l.atRightDelim();
  if (trimSpaces) {
    l.pos += TRIM_MARKER_LENGTH;
    l.ignore();
  }
  l.pos += RIGHT_DELIM.length;
  const item = l.thisItem("rightDelim");
  if (trimSpaces) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(item);
}

export function lexInsideAction(l: Lexer): StateFn | null {
  if (l.atRightDelim().delim) {
    return l.parenDepth === 0 ? lexRightDelim : l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === EOF) return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup(); // put the space back, in case it starts " -}}"
    return lexSpace;
  }
  const single = SINGLE_RUNE_STATES.get(r);
  if (single !== undefined) return single(l);
  if (r === 0x2e /* . */) {
    // ".field", unless a digit follows: then the dot starts a number.
    const following = l.input.charCodeAt(l.pos);
    if (l.pos < l.input.length && !(following >= 0x30 && following <= 0x39)) return lexField;
  }
  if (r === 0x2e || r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r === 0x28 /* ( */) {
    l.parenDepth++;
    return l.emit("leftParen");
  }
  if (r === 0x29 /* ) */) {
    l.parenDepth--;
    return l.parenDepth < 0 ? l.errorf("unexpected right paren") : l.emit("rightParen");
  }
  if (r < 0x80 && isPrint(r)) return l.emit("char");
  return l.errorf(`unrecognized character in action: ${formatUnicode(r)}`);
}

/** The runes of lexInsideAction's switch that decide the item on their own. */
const SINGLE_RUNE_STATES: ReadonlyMap<number, StateFn> = new Map<number, StateFn>([
  [0x3d /* = */, (l) => l.emit("assign")],
  [0x3a /* : */, (l) => (l.next() === 0x3d ? l.emit("declare") : l.errorf("expected :="))],
  [0x7c /* | */, (l) => l.emit("pipe")],
  [0x22 /* " */, (l) => lexQuote(l, "string", "unterminated quoted string")],
  [0x60 /* ` */, lexRawQuote],
  [0x24 /* $ */, lexVariable],
  [0x27 /* ' */, (l) => lexQuote(l, "charConstant", "unterminated character constant")],
]);

/** A run of spaces; the first is known to be there. A single space before `-}}` belongs to the delimiter. */
function lexSpace(l: Lexer): StateFn | null {
  let spaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    spaces++;
  }
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.at(RIGHT_DELIM, l.pos - 1 + TRIM_MARKER_LENGTH)) {
    l.backup(); // before the space
    if (spaces === 1) return lexRightDelim;
  }
  return l.emit("space");
}

function lexIdentifier(l: Lexer): StateFn | null {
  let r = l.next();
  while (isAlphaNumeric(r)) r = l.next();
  l.backup();
  const word = l.input.slice(l.start, l.pos);
  if (!l.atTerminator()) return l.errorf(`bad character ${formatUnicode(r)}`);
  if ((KEYWORDS as readonly string[]).includes(word)) {
    const keyword = word as Keyword;
    const disabled = (keyword === "break" && !l.options.breakOK) || (keyword === "continue" && !l.options.continueOK);
    return l.emit(disabled ? "identifier" : keyword);
  }
  if (word.startsWith(".")) return l.emit("field");
  if (word === "true" || word === "false") return l.emit("bool");
  return l.emit("identifier");
}

function lexField(l: Lexer): StateFn | null {
  return lexFieldOrVariable(l, "field");
}

function lexVariable(l: Lexer): StateFn | null {
  if (l.atTerminator()) return l.emit("variable"); // just "$"
  return lexFieldOrVariable(l, "variable");
}

function lexFieldOrVariable(l: Lexer, type: "field" | "variable"): StateFn | null {
  if (l.atTerminator()) return l.emit(type === "variable" ? "variable" : "dot");
  let r = l.next();
  while (isAlphaNumeric(r)) r = l.next();
  l.backup();
  if (!l.atTerminator()) return l.errorf(`bad character ${formatUnicode(r)}`);
  return l.emit(type);
}

function lexNumber(l: Lexer): StateFn | null {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    // Complex, as in 1+2i: no spaces, and it must end in 'i'.
    if (!l.scanNumber() || l.input[l.pos - 1] !== "i") {
      return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    }
    return l.emit("complex");
  }
  return l.emit("number");
}

/** A quoted string or character constant; the parser checks the escapes (strconv). */
function lexQuote(l: Lexer, type: "string" | "charConstant", unterminated: string): StateFn | null {
  const quote = type === "string" ? 0x22 : 0x27;
  for (;;) {
    let r = l.next();
    if (r === 0x5c /* \ */) {
      r = l.next();
      if (r === EOF || r === NEWLINE) return l.errorf(unterminated);
    } else if (r === EOF || r === NEWLINE) {
      return l.errorf(unterminated);
    } else if (r === quote) {
      return l.emit(type);
    }
  }
}

function lexRawQuote(l: Lexer): StateFn | null {
  const end = l.input.indexOf("`", l.pos);
  if (end < 0) {
    l.pos = l.input.length;
    l.line += countNewlines(l.input.slice(l.start, l.pos)); // as Go's next() would have counted them
    l.atEOF = true;
    return l.errorf("unterminated raw quoted string");
  }
  l.pos = end + 1;
  l.line += countNewlines(l.input.slice(l.start, l.pos));
  return l.emit("rawString");
}

/** `-` and a space: `{{- ` trims the spaces before the action. */
function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === "-" && isSpace(s.charCodeAt(at + 1));
}

/** A space and `-`: ` -}}` trims the spaces after the action. */
export function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s.charCodeAt(at)) && s[at + 1] === "-";
}

function rightTrimLength(s: string): number {
  let end = s.length;
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  return s.length - end;
}

function leftTrimLength(s: string, from: number): number {
  let end = from;
  while (end < s.length && isSpace(s.charCodeAt(end))) end++;
  return end - from;
}

export function countNewlines(s: string): number {
  let count = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) count++;
  return count;
}

export function isOneOf(r: number, valid: string): boolean {
  return r !== EOF && valid.includes(String.fromCodePoint(r));
}
