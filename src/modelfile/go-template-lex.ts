/**
 * A port of the lexer of Go's `text/template/parse` (`lex.go`, Go 1.26): the same state functions, the same
 * tokens and the same line counting, so that the parser in go-template.ts sees exactly the items Go's parser
 * sees. Only the default delimiters `{{` `}}` are supported, and comments are never emitted (text/template
 * parses without `ParseComments`). This module is Go's `lexer` type, the input and the items it emits; its
 * state functions are in go-template-lex-states.ts.
 *
 * Go works on bytes, this works on UTF-16 code units; the two agree wherever it matters, since every byte Go
 * compares against is ASCII. A lone surrogate reads as U+FFFD, which is what Go sees once the text is UTF-8.
 */
import {
  countNewlines,
  EOF,
  hasRightTrimMarker,
  isOneOf,
  lexInsideAction,
  lexText,
  NEWLINE,
  RIGHT_DELIM,
  type StateFn,
  TRIM_MARKER_LENGTH,
} from "./go-template-lex-states.js";
import { isAlphaNumeric, isSpace } from "./go-template-literals.js";
import type { Item, ItemType } from "./go-template-tokens.js";

export interface LexOptions {
  /** `break` is a keyword unless a function is called so (Go: `breakOK`); likewise `continue`. */
  breakOK: boolean;
  continueOK: boolean;
}

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
