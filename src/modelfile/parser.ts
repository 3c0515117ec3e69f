/**
 * A port of Ollama's Modelfile parser (`parser/parser.go`, `ParseFile`): the same state machine, accepting
 * and rejecting exactly the same inputs with the same error texts, plus positions Ollama does not report.
 *
 * Differences that are deliberate: a CRLF pair counts as one line break (Ollama counts both characters, so
 * its line numbers double in CRLF files), and every error carries the line and column of its cause.
 */
import { decodeModelfile } from "./decode.js";
import { PRINTABLE_RANGES } from "./unicode-printable.js";

/** `instruction` for FROM, SYSTEM, ...; `parameter` for PARAMETER (its name becomes the command name). */
export type CommandKind = "instruction" | "parameter";

export interface Position {
  /** 1-based line; CR, LF and CRLF each end one line. */
  line: number;
  /** 1-based column, in code points. */
  column: number;
}

/** One command in Ollama's own representation (`Name`, `Args`), plus where it stands in the file. */
export interface Command {
  /** `model` for FROM, the lower-cased keyword for other instructions, the parameter's name for PARAMETER. */
  name: string;
  /** The value; for MESSAGE it is `"<role>: <content>"`, as Ollama stores it. */
  args: string;
  kind: CommandKind;
  /** Where the instruction keyword starts. */
  start: Position;
  /** The line on which the value ends (values in quotes may span lines). */
  endLine: number;
}

export interface Comment {
  line: number;
  /** The comment's text after `#`. */
  text: string;
}

export interface ParsedModelfile {
  commands: Command[];
  /** Comment lines; Ollama ignores them, the linter reads its directives from them. */
  comments: Comment[];
}

export type ParseErrorKind = "syntax" | "missing-from";

/** What the parser was reading when it failed, for hints beyond Ollama's terse texts. */
export type ParseErrorContext = "instruction" | "parameter-name" | "message-role" | "value" | "end-of-file" | "file";

export class ModelfileParseError extends Error {
  /** The error text Ollama's parser gives for the same input (line numbers as Ollama counts LF files). */
  readonly ollamaMessage: string;
  readonly kind: ParseErrorKind;
  readonly position: Position;
  readonly context: ParseErrorContext;
  /**
   * The text of the line the error is on: its first LINE_TEXT_LIMIT code points, and `…` after them when the
   * line is longer.
   */
  readonly lineText: string;
  /** The length of the whole line, in code points. */
  readonly lineLength: number;

  constructor(
    ollamaMessage: string,
    kind: ParseErrorKind,
    position: Position,
    context: ParseErrorContext,
    lineText: string,
    lineLength: number = [...lineText].length,
  ) {
    super(ollamaMessage);
    this.name = "ModelfileParseError";
    this.ollamaMessage = ollamaMessage;
    this.kind = kind;
    this.position = position;
    this.context = context;
    this.lineText = lineText;
    this.lineLength = lineLength;
  }

  /** Whether the error is at the line break (or the end of the file) that ends its line. */
  get atEndOfLine(): boolean {
    return this.position.column > this.lineLength;
  }

  /** Ollama's text without its `(line N): ` prefix, for messages that carry their own position. */
  get detail(): string {
    return this.ollamaMessage.replace(/^\(line \d+\): /, "");
  }
}

/** How much of a line an error keeps (a Modelfile may hold a line of megabytes). */
export const LINE_TEXT_LIMIT = 1000;

export const INVALID_COMMAND_MESSAGE =
  'command must be one of "from", "license", "template", "system", "adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"';
export const INVALID_MESSAGE_ROLE_MESSAGE = 'message role must be one of "system", "user", or "assistant"';
export const MISSING_FROM_MESSAGE = "no FROM line";
export const UNEXPECTED_EOF_MESSAGE = "unexpected EOF";

const VALID_COMMANDS = new Set([
  "from",
  "license",
  "template",
  "system",
  "adapter",
  "draft",
  "renderer",
  "parser",
  "parameter",
  "message",
  "requires",
]);
export const MESSAGE_ROLES = ["system", "user", "assistant"] as const;

type State = "nil" | "name" | "value" | "parameter" | "message" | "comment";
type StepError = "invalid-command" | "unexpected-eof";
interface Step {
  next: State;
  /** The code point to append to the buffer (when printable), or NONE. */
  emit: number;
  error?: StepError;
}

/**
 * "No code point": nothing to append, or no previous code point. It is also U+0000, and that is safe, as it
 * is in Ollama, whose `parseRuneForState` returns rune 0 for "nothing" too: NUL is not printable, so a NUL
 * that a step passes on is dropped by the `isPrint` check all the same (Ollama's `strconv.IsPrint(0)` is
 * false), and as a previous code point NUL is only ever compared with CR.
 */
const NONE = 0;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = '"';
const TRIPLE_QUOTE = '"""';

const isNewline = (cp: number) => cp === CR || cp === LF;
const isSpace = (cp: number) => cp === SPACE || cp === TAB;
const isAlpha = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;

/**
 * Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space, by the Unicode
 * 15.0 tables of the Go that builds Ollama, not by this JavaScript engine's (newer) Unicode version: a
 * character that Unicode assigned after 15.0 is dropped, as Ollama drops it.
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

function parseRuneForState(cp: number, state: State): Step {
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

/** Go's `strings.TrimSpace` restricted to the only white space a value buffer can hold. */
function trimValue(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWhite(s.charCodeAt(start))) start++;
  while (end > start && isWhite(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}
const isWhite = (unit: number) => isSpace(unit) || isNewline(unit);

/** Ollama's `unquote`: strips `"""…"""` or `"…"`; reports false while a quote is still open. */
export function unquote(s: string): [string, boolean] {
  if (s.startsWith(TRIPLE_QUOTE)) {
    if (s.length >= 6 && s.endsWith(TRIPLE_QUOTE)) return [s.slice(3, -3), true];
    return ["", false];
  }
  if (s.startsWith(QUOTE)) {
    if (s.length >= 2 && s.endsWith(QUOTE)) return [s.slice(1, -1), true];
    return ["", false];
  }
  return [s, true];
}

export function parseModelfile(input: Uint8Array | string): ParsedModelfile {
  const codePoints =
    typeof input === "string" ? Array.from(input, (c) => c.codePointAt(0) as number) : decodeModelfile(input);
  const commands: Command[] = [];
  const comments: Comment[] = [];

  let state: State = "nil";
  let buffer = "";
  let role = "";
  let name = "";
  let kind: CommandKind = "instruction";
  let commandStart: Position = { line: 1, column: 1 };
  let comment: Comment | undefined;

  // Where the current code point stands, and the line number Ollama would print for an error at it
  // (Ollama counts the line break before it handles the character that makes it).
  let line = 1;
  let column = 1;
  let ollamaLine = 1;
  let previous = NONE;

  // Code point index where each line starts, to quote the line an error is on.
  const lineStarts = [0];
  const lineAt = (at: Position): { text: string; length: number } => {
    const start = lineStarts[at.line - 1] ?? 0;
    let end = start;
    while (end < codePoints.length && !isNewline(codePoints[end] as number)) end++;
    // Code point by code point: spreading a long line into String.fromCodePoint overflows the stack.
    let text = "";
    for (let i = start; i < Math.min(end, start + LINE_TEXT_LIMIT); i++) text += String.fromCodePoint(codePoints[i] as number);
    return { text: end - start > LINE_TEXT_LIMIT ? `${text}…` : text, length: end - start };
  };
  const fail = (message: string, at: Position, context: ParseErrorContext): never => {
    const { text, length } = lineAt(at);
    throw new ModelfileParseError(message, "syntax", at, context, text, length);
  };
  const stateContext: Record<State, ParseErrorContext> = {
    nil: "instruction",
    name: "instruction",
    value: "value",
    parameter: "parameter-name",
    message: "message-role",
    comment: "instruction",
  };

  for (const [index, cp] of codePoints.entries()) {
    const here: Position = { line, column };
    const crlfSecondHalf = cp === LF && previous === CR;
    if (isNewline(cp) && !crlfSecondHalf) ollamaLine++;

    const step = parseRuneForState(cp, state);
    if (step.error === "unexpected-eof") fail(`${UNEXPECTED_EOF_MESSAGE}: ${buffer}`, here, stateContext[state]);
    if (step.error === "invalid-command") fail(`(line ${ollamaLine}): ${INVALID_COMMAND_MESSAGE}`, here, "instruction");

    let next = step.next;
    let appendToBuffer = true;
    if (next !== state) {
      switch (state) {
        case "name": {
          const keyword = buffer.toLowerCase();
          if (!VALID_COMMANDS.has(keyword))
            fail(`(line ${ollamaLine}): ${INVALID_COMMAND_MESSAGE}`, commandStart, "instruction");
          kind = "instruction";
          if (keyword === "from") {
            name = "model";
          } else if (keyword === "parameter") {
            next = "parameter";
            kind = "parameter";
          } else {
            if (keyword === "message") next = "message";
            name = keyword;
          }
          break;
        }
        case "parameter":
          name = buffer;
          break;
        case "message":
          if (!(MESSAGE_ROLES as readonly string[]).includes(buffer)) {
            fail(`(line ${ollamaLine}): ${INVALID_MESSAGE_ROLE_MESSAGE}`, commandStart, "message-role");
          }
          role = buffer;
          break;
        case "comment":
          if (comment) comments.push(comment);
          comment = undefined;
          break;
        case "nil":
          if (next === "name") commandStart = here;
          if (next === "comment") comment = { line, text: "" };
          break;
        case "value": {
          const [unquoted, complete] = unquote(trimValue(buffer));
          if (!complete || isSpace(cp)) {
            // Still inside the value: white space and line breaks are kept verbatim.
            buffer += String.fromCodePoint(cp);
            appendToBuffer = false;
            next = state;
            break;
          }
          const args = role === "" ? unquoted : `${role}: ${unquoted}`;
          role = "";
          commands.push({ name, args, kind, start: commandStart, endLine: line });
          break;
        }
      }
      if (next !== state) {
        buffer = "";
        state = next;
      }
    } else if (state === "comment" && comment) {
      comment.text += String.fromCodePoint(cp);
    }

    if (appendToBuffer && step.emit !== NONE && isPrint(step.emit)) buffer += String.fromCodePoint(step.emit);

    if (isNewline(cp)) {
      if (!crlfSecondHalf) line++;
      lineStarts[line - 1] = index + 1;
      column = 1;
    } else {
      column++;
    }
    previous = cp;
  }

  switch (state) {
    case "nil":
      break;
    case "comment":
      if (comment) comments.push(comment);
      break;
    case "value": {
      const [unquoted, complete] = unquote(trimValue(buffer));
      if (!complete) fail(UNEXPECTED_EOF_MESSAGE, commandStart, "end-of-file");
      commands.push({
        name,
        args: role === "" ? unquoted : `${role}: ${unquoted}`,
        kind,
        start: commandStart,
        endLine: line,
      });
      break;
    }
    default:
      fail(UNEXPECTED_EOF_MESSAGE, commandStart, "end-of-file");
  }

  if (!commands.some((c) => c.name === "model")) {
    const { text, length } = lineAt({ line: 1, column: 1 });
    throw new ModelfileParseError(MISSING_FROM_MESSAGE, "missing-from", { line: 1, column: 1 }, "file", text, length);
  }
  return { commands, comments };
}
