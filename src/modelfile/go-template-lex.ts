/**
 * A port of the lexer of Go's `text/template/parse` (`lex.go`, Go 1.26): the same state functions, the same
 * tokens and the same line counting, so that the parser in go-template.ts sees exactly the items Go's parser
 * sees. Only the default delimiters `{{` `}}` are supported, and comments are never emitted (text/template
 * parses without `ParseComments`).
 *
 * Go works on bytes, this works on UTF-16 code units; the two agree wherever it matters, since every byte Go
 * compares against is ASCII. A lone surrogate reads as U+FFFD, which is what Go sees once the text is UTF-8.
 */
import { formatUnicode, goQuote, isAlphaNumeric, isSpace } from "./go-template-literals.js";
import { type Item, type ItemType, KEYWORDS, type Keyword } from "./go-template-tokens.js";
import { isPrint } from "./parser.js";

export interface LexOptions {
  /** `break` is a keyword unless a function is called so (Go: `breakOK`); likewise `continue`. */
  breakOK: boolean;
  continueOK: boolean;
}

const EOF = -1;
const LEFT_DELIM = "{{";
const RIGHT_DELIM = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
/** A trim marker is `-` plus the ASCII space that must separate it from the delimiter's contents. */
const TRIM_MARKER_LENGTH = 2;
const NEWLINE = 0x0a;

/** A state function: it either returns the next state or sets `lexer.item` and returns null. */
type StateFn = (l: Lexer) => StateFn | null;

export class Lexer {
  input: string;
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  /** 1 + the newlines seen so far. */
  line = 1;
  startLine = 1;
  item: Item = { type: "eof", val: "EOF", line: 1 };
  insideAction = false;

  constructor(
    input: string,
    readonly options: LexOptions,
  ) {
    this.input = input;
  }

  /** The next item: called by the parser, one item at a time. */
  nextItem(): Item {
    this.item = { type: "eof", val: "EOF", line: this.startLine };
    let state: StateFn | null = this.insideAction ? lexInsideAction : lexText;
    while (state !== null) state = state(this);
    return this.item;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === NEWLINE) this.line++;
    return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  /** Steps back one rune; like Go's, a no-op once the end of the input has been read. */
  backup(): void {
    if (this.atEOF || this.pos === 0) return;
    // A code point read from two positions back is beyond U+FFFF only if those two are a surrogate pair.
    this.pos -= this.pos >= 2 && (this.input.codePointAt(this.pos - 2) as number) > 0xffff ? 2 : 1;
    if (this.input.charCodeAt(this.pos) === NEWLINE) this.line--;
  }

  thisItem(type: ItemType): Item {
    const item = { type, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return item;
  }

  emit(type: ItemType): null {
    return this.emitItem(this.thisItem(type));
  }

  emitItem(item: Item): null {
    this.item = item;
    return null;
  }

  /** Skips the pending input, counting its newlines (for text skipped without `next`). */
  ignore(): void {
    this.line += countNewlines(this.input.slice(this.start, this.pos));
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    if (isOneOf(this.next(), valid)) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    while (isOneOf(this.next(), valid)) {}
    this.backup();
  }

  /** Emits an error item and empties the input, so every later item is EOF (or another error). */
  errorf(message: string): null {
    this.item = { type: "error", val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = "";
    return null;
  }

  /** Whether the input continues with `prefix` at `at`. */
  at(prefix: string, at = this.pos): boolean {
    return this.input.startsWith(prefix, at);
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.at(RIGHT_DELIM, this.pos + TRIM_MARKER_LENGTH)) {
      return { delim: true, trimSpaces: true };
    }
    return { delim: this.at(RIGHT_DELIM), trimSpaces: false };
  }

  /** Whether the input is at a character that may end an identifier, field or variable. */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || isOneOf(r, ".,|:)(")) return true;
    return this.at(RIGHT_DELIM);
  }

  /** `scanNumber`: deliberately loose (it accepts "." and "089"); strconv, in the parser, is strict. */
  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      // A leading 0 does not mean octal in floats.
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i"); // imaginary
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function lexText(l: Lexer): StateFn | null {
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

function lexInsideAction(l: Lexer): StateFn | null {
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
function hasRightTrimMarker(s: string, at: number): boolean {
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

function countNewlines(s: string): number {
  let count = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) count++;
  return count;
}

function isOneOf(r: number, valid: string): boolean {
  return r !== EOF && valid.includes(String.fromCodePoint(r));
}
