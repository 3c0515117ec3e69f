/**
 * The states of Ollama's Modelfile parser and its transitions, one code point at a time (`parseRuneForState`
 * in `parser/parser.go`), with the character classes they are decided by.
 */

export type State = "nil" | "name" | "value" | "parameter" | "message" | "comment";

export interface Step {
  next: State;
  /** The code point to append to the buffer (when printable), or NONE. */
  emit: number;
  error?: "invalid-command" | "unexpected-eof";
}

/**
 * "No code point": nothing to append, or no previous code point. It is also U+0000, and that is safe, as it
 * is in Ollama, whose `parseRuneForState` returns rune 0 for "nothing" too: NUL is not printable, so a NUL
 * that a step passes on is dropped by the `isPrint` check all the same (Ollama's `strconv.IsPrint(0)` is
 * false), and as a previous code point NUL is only ever compared with CR.
 */
export const NONE = 0;
export const CR = 0x0d;
export const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

export const isNewline = (cp: number) => cp === CR || cp === LF;
export const isSpace = (cp: number) => cp === SPACE || cp === TAB;
const isAlpha = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;

export function parseRuneForState(cp: number, state: State): Step {
  switch (state) {
    case "nil":
      if (cp === 0x23 /* # */) return { next: "comment", emit: NONE };
      if (isSpace(cp) || isNewline(cp)) return { next: "nil", emit: NONE };
      return { next: "name", emit: cp };
    case "name":
      if (isAlpha(cp)) return { next: "name", emit: cp };
      if (isSpace(cp)) return { next: "value", emit: NONE };
      return { next: "nil", emit: NONE, error: "invalid-command" };
    case "value":
      if (isNewline(cp) || isSpace(cp)) return { next: "nil", emit: cp };
      return { next: "value", emit: cp };
    case "parameter":
      if (isAlpha(cp) || isDigit(cp) || cp === 0x5f /* _ */) return { next: "parameter", emit: cp };
      if (isSpace(cp)) return { next: "value", emit: NONE };
      return { next: "nil", emit: NONE, error: "unexpected-eof" };
    case "message":
      if (isAlpha(cp)) return { next: "message", emit: cp };
      if (isSpace(cp)) return { next: "value", emit: NONE };
      return { next: "nil", emit: NONE, error: "unexpected-eof" };
    case "comment":
      if (isNewline(cp)) return { next: "nil", emit: NONE };
      return { next: "comment", emit: NONE };
  }
}
