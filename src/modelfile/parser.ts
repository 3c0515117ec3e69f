/**
 * A port of Ollama's Modelfile parser (`parser/parser.go`, `ParseFile`): the same state machine, accepting
 * and rejecting exactly the same inputs with the same error texts, plus positions Ollama does not report.
 *
 * Differences that are deliberate: a CRLF pair counts as one line break (Ollama counts both characters, so
 * its line numbers double in CRLF files), and every error carries the line and column of its cause.
 */
import { decodeModelfile } from "./decode.js";
import { isPrint } from "./go-strconv.js";
import { ParserBuffer, textOf } from "./parser-buffer.js";
import { CR, isNewline, isSpace, LF, NONE, parseRuneForState, type State } from "./parser-states.js";

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

const INVALID_COMMAND_MESSAGE =
  'command must be one of "from", "license", "template", "system", "adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"';
const INVALID_MESSAGE_ROLE_MESSAGE = 'message role must be one of "system", "user", or "assistant"';
const MISSING_FROM_MESSAGE = "no FROM line";
const UNEXPECTED_EOF_MESSAGE = "unexpected EOF";

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
const MESSAGE_ROLES = ["system", "user", "assistant"] as const;

/** What the parser was reading in each state, for an error there. */
const STATE_CONTEXT: Record<State, ParseErrorContext> = {
  nil: "instruction",
  name: "instruction",
  value: "value",
  parameter: "parameter-name",
  message: "message-role",
  comment: "instruction",
};

export function parseModelfile(input: Uint8Array | string): ParsedModelfile {
  const codePoints =
    typeof input === "string" ? Array.from(input, (c) => c.codePointAt(0) as number) : decodeModelfile(input);
  const parse = new ParseFile(codePoints);
  for (const [index, cp] of codePoints.entries()) parse.read(index, cp);
  return parse.end();
}

/**
 * Ollama's `ParseFile`, kept parallel to it: its local variables are the fields, `read` is its loop's body,
 * `transition` the loop's `if next != curr { switch curr { ... } }`, and `end` what follows the loop.
 */
class ParseFile {
  private readonly commands: Command[] = [];
  private readonly comments: Comment[] = [];
  private readonly buffer = new ParserBuffer();
  private readonly lines: LineCounter;
  private state: State = "nil";
  private role = "";
  private name = "";
  private kind: CommandKind = "instruction";
  private commandStart: Position = { line: 1, column: 1 };
  /** The comment being read, and the index of its first code point after `#`. */
  private comment: { line: number; from: number } | undefined;

  constructor(private readonly codePoints: readonly number[]) {
    this.lines = new LineCounter(codePoints);
  }

  read(index: number, cp: number): void {
    const here = this.lines.enter(cp);
    const step = parseRuneForState(cp, this.state);
    if (step.error === "unexpected-eof") {
      this.fail(`${UNEXPECTED_EOF_MESSAGE}: ${this.buffer.text()}`, here, STATE_CONTEXT[this.state]);
    }
    if (step.error === "invalid-command") this.fail(this.invalidCommandMessage(), here, "instruction");
    const valueGoesOn = step.next !== this.state && this.transition(step.next, cp, here, index);
    if (!valueGoesOn && step.emit !== NONE && isPrint(step.emit)) this.buffer.append(step.emit);
    this.lines.leave(index, cp);
  }

  /**
   * Ends the current state; `next` may be redirected by what the buffer holds. Returns true, staying in the
   * value, when the value goes on past `cp` (a blank, or a line break inside quotes): `cp` is in the buffer
   * then, verbatim.
   */
  private transition(next: State, cp: number, here: Position, index: number): boolean {
    let following = next;
    switch (this.state) {
      case "name":
        following = this.endKeyword(next);
        break;
      case "parameter":
        this.name = this.buffer.text();
        break;
      case "message":
        this.role = this.buffer.text();
        if (!(MESSAGE_ROLES as readonly string[]).includes(this.role)) {
          this.fail(
            `(line ${this.lines.ollamaLine}): ${INVALID_MESSAGE_ROLE_MESSAGE}`,
            this.commandStart,
            "message-role",
          );
        }
        break;
      case "comment":
        this.endComment(index);
        break;
      case "nil":
        if (next === "name") this.commandStart = here;
        if (next === "comment") this.comment = { line: here.line, from: index + 1 };
        break;
      case "value":
        if (!this.buffer.complete || isSpace(cp)) {
          this.buffer.append(cp);
          return true;
        }
        this.endCommand(here.line);
        break;
    }
    this.buffer.reset();
    this.state = following;
    return false;
  }

  /** The instruction's keyword is read: it names the command, and PARAMETER and MESSAGE read a name next. */
  private endKeyword(next: State): State {
    const keyword = this.buffer.text().toLowerCase();
    if (!VALID_COMMANDS.has(keyword)) this.fail(this.invalidCommandMessage(), this.commandStart, "instruction");
    this.kind = "instruction";
    if (keyword === "from") {
      this.name = "model";
      return next;
    }
    if (keyword === "parameter") {
      this.kind = "parameter";
      return "parameter";
    }
    this.name = keyword;
    return keyword === "message" ? "message" : next;
  }

  private endCommand(endLine: number): void {
    const unquoted = this.buffer.unquoted();
    const args = this.role === "" ? unquoted : `${this.role}: ${unquoted}`;
    this.role = "";
    this.commands.push({ name: this.name, args, kind: this.kind, start: this.commandStart, endLine });
  }

  private endComment(to: number): void {
    if (this.comment)
      this.comments.push({ line: this.comment.line, text: textOf(this.codePoints, this.comment.from, to) });
    this.comment = undefined;
  }

  /** After the last code point: flush the buffer, and refuse a file without FROM. */
  end(): ParsedModelfile {
    switch (this.state) {
      case "nil":
        break;
      case "comment":
        this.endComment(this.codePoints.length);
        break;
      case "value":
        if (!this.buffer.complete) this.fail(UNEXPECTED_EOF_MESSAGE, this.commandStart, "end-of-file");
        this.endCommand(this.lines.line);
        break;
      default:
        this.fail(UNEXPECTED_EOF_MESSAGE, this.commandStart, "end-of-file");
    }
    if (!this.commands.some((c) => c.name === "model")) {
      this.fail(MISSING_FROM_MESSAGE, { line: 1, column: 1 }, "file", "missing-from");
    }
    return { commands: this.commands, comments: this.comments };
  }

  private invalidCommandMessage(): string {
    return `(line ${this.lines.ollamaLine}): ${INVALID_COMMAND_MESSAGE}`;
  }

  private fail(message: string, at: Position, context: ParseErrorContext, kind: ParseErrorKind = "syntax"): never {
    const { text, length } = this.lines.textOfLine(at.line);
    throw new ModelfileParseError(message, kind, at, context, text, length);
  }
}

/** Where each code point stands, and the line number Ollama would print for an error at it. */
class LineCounter {
  line = 1;
  private column = 1;
  /** Ollama counts a line break before it handles the character that makes it. */
  ollamaLine = 1;
  private previous = NONE;
  /** Code point index where each line starts, to quote the line an error is on. */
  private readonly starts = [0];

  constructor(private readonly codePoints: readonly number[]) {}

  /** Counts `cp` into Ollama's line number; returns where it stands. */
  enter(cp: number): Position {
    if (isNewline(cp) && !this.isSecondHalfOfCrlf(cp)) this.ollamaLine++;
    return { line: this.line, column: this.column };
  }

  /** Moves past `cp`, the code point at `index`. */
  leave(index: number, cp: number): void {
    if (isNewline(cp)) {
      if (!this.isSecondHalfOfCrlf(cp)) this.line++;
      this.starts[this.line - 1] = index + 1;
      this.column = 1;
    } else {
      this.column++;
    }
    this.previous = cp;
  }

  private isSecondHalfOfCrlf(cp: number): boolean {
    return cp === LF && this.previous === CR;
  }

  /** A line's first LINE_TEXT_LIMIT code points (and `…` when there are more), and its length. */
  textOfLine(line: number): { text: string; length: number } {
    const start = this.starts[line - 1] ?? 0;
    let end = start;
    while (end < this.codePoints.length && !isNewline(this.codePoints[end] as number)) end++;
    const text = textOf(this.codePoints, start, Math.min(end, start + LINE_TEXT_LIMIT));
    return { text: end - start > LINE_TEXT_LIMIT ? `${text}…` : text, length: end - start };
  }
}
