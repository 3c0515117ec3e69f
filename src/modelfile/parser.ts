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

/** A MESSAGE command's `"<role>: <content>"` back into its parts (Ollama's `strings.Cut` on ": "). */
export function splitMessage(args: string): { role: string; content: string } {
  const separator = args.indexOf(": ");
  return separator < 0
    ? { role: args, content: "" }
    : { role: args.slice(0, separator), content: args.slice(separator + 2) };
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

/** A string from code points [from, to), in chunks: spreading a long line into one call overflows the stack. */
function textOf(codePoints: readonly number[], from: number, to: number): string {
  const CHUNK = 8192;
  let text = "";
  for (let i = from; i < to; i += CHUNK) text += String.fromCodePoint(...codePoints.slice(i, Math.min(i + CHUNK, to)));
  return text;
}

const QUOTE_CODE_POINT = 0x22;
const isWhite = (cp: number) => isSpace(cp) || isNewline(cp);

/**
 * The parser's buffer (Ollama's `bytes.Buffer`). It answers Ollama's `unquote(strings.TrimSpace(b.String()))`
 * without reading the whole text: Ollama asks at every blank and line break in a value, and reading the
 * buffer each time would make a long value quadratic. The only white space it can hold is space, tab, CR
 * and LF (other white space is not printable), so that is all TrimSpace has to strip.
 */
class Buffer {
  private codePoints: number[] = [];
  /** Where the trimmed text starts (-1 while it is empty) and ends. */
  private first = -1;
  private end = 0;

  append(cp: number): void {
    this.codePoints.push(cp);
    if (isWhite(cp)) return;
    if (this.first < 0) this.first = this.codePoints.length - 1;
    this.end = this.codePoints.length;
  }

  reset(): void {
    this.codePoints = [];
    this.first = -1;
    this.end = 0;
  }

  text(): string {
    return textOf(this.codePoints, 0, this.codePoints.length);
  }

  /** How many code points `unquote` strips at each end, or undefined while a quote is still open. */
  private quotes(): number | undefined {
    if (this.first < 0) return 0;
    const length = this.end - this.first;
    const quoteAt = (i: number) => this.codePoints[i] === QUOTE_CODE_POINT;
    const first = this.first;
    const last = this.end - 1;
    if (length >= 3 && quoteAt(first) && quoteAt(first + 1) && quoteAt(first + 2)) {
      return length >= 6 && quoteAt(last) && quoteAt(last - 1) && quoteAt(last - 2) ? 3 : undefined;
    }
    if (quoteAt(first)) return length >= 2 && quoteAt(last) ? 1 : undefined;
    return 0;
  }

  /** Whether Ollama's `unquote` of the trimmed text succeeds, i.e. no quote is left open. */
  get complete(): boolean {
    return this.quotes() !== undefined;
  }

  /** The trimmed text without its quotes (only when `complete`). */
  unquoted(): string {
    if (this.first < 0) return "";
    const quotes = this.quotes() ?? 0;
    return textOf(this.codePoints, this.first + quotes, this.end - quotes);
  }
}

export function parseModelfile(input: Uint8Array | string): ParsedModelfile {
  const codePoints =
    typeof input === "string" ? Array.from(input, (c) => c.codePointAt(0) as number) : decodeModelfile(input);
  const commands: Command[] = [];
  const comments: Comment[] = [];

  let state: State = "nil";
  const buffer = new Buffer();
  let role = "";
  let name = "";
  let kind: CommandKind = "instruction";
  let commandStart: Position = { line: 1, column: 1 };
  /** The comment being read, and the index of its first code point after `#`. */
  let comment: { line: number; from: number } | undefined;
  const endComment = (to: number) => {
    if (comment) comments.push({ line: comment.line, text: textOf(codePoints, comment.from, to) });
    comment = undefined;
  };

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
    for (let i = start; i < Math.min(end, start + LINE_TEXT_LIMIT); i++)
      text += String.fromCodePoint(codePoints[i] as number);
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
    if (step.error === "unexpected-eof") fail(`${UNEXPECTED_EOF_MESSAGE}: ${buffer.text()}`, here, stateContext[state]);
    if (step.error === "invalid-command") fail(`(line ${ollamaLine}): ${INVALID_COMMAND_MESSAGE}`, here, "instruction");

    let next = step.next;
    let appendToBuffer = true;
    if (next !== state) {
      switch (state) {
        case "name": {
          const keyword = buffer.text().toLowerCase();
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
          name = buffer.text();
          break;
        case "message":
          role = buffer.text();
          if (!(MESSAGE_ROLES as readonly string[]).includes(role)) {
            fail(`(line ${ollamaLine}): ${INVALID_MESSAGE_ROLE_MESSAGE}`, commandStart, "message-role");
          }
          break;
        case "comment":
          endComment(index);
          break;
        case "nil":
          if (next === "name") commandStart = here;
          if (next === "comment") comment = { line, from: index + 1 };
          break;
        case "value": {
          if (!buffer.complete || isSpace(cp)) {
            // Still inside the value: white space and line breaks are kept verbatim.
            buffer.append(cp);
            appendToBuffer = false;
            next = state;
            break;
          }
          const unquoted = buffer.unquoted();
          const args = role === "" ? unquoted : `${role}: ${unquoted}`;
          role = "";
          commands.push({ name, args, kind, start: commandStart, endLine: line });
          break;
        }
      }
      if (next !== state) {
        buffer.reset();
        state = next;
      }
    }

    if (appendToBuffer && step.emit !== NONE && isPrint(step.emit)) buffer.append(step.emit);

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
      endComment(codePoints.length);
      break;
    case "value": {
      if (!buffer.complete) fail(UNEXPECTED_EOF_MESSAGE, commandStart, "end-of-file");
      const unquoted = buffer.unquoted();
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
