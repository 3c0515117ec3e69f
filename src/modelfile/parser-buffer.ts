/**
 * The Modelfile parser's buffer (Ollama's `bytes.Buffer`), which also answers Ollama's
 * `unquote(strings.TrimSpace(b.String()))` without reading the whole text: Ollama asks at every blank and line
 * break in a value, and reading the buffer each time would make a long value quadratic.
 */
import { isNewline, isSpace } from "./parser-states.js";

const QUOTE_CODE_POINT = 0x22;
const isWhite = (cp: number) => isSpace(cp) || isNewline(cp);

/** A string from code points [from, to), in chunks: spreading a long line into one call overflows the stack. */
export function textOf(codePoints: readonly number[], from: number, to: number): string {
  const CHUNK = 8192;
  let text = "";
  for (let i = from; i < to; i += CHUNK) text += String.fromCodePoint(...codePoints.slice(i, Math.min(i + CHUNK, to)));
  return text;
}

/**
 * The only white space the buffer can hold is space, tab, CR and LF (other white space is not printable, so
 * the parser drops it), so that is all TrimSpace has to strip.
 */
export class ParserBuffer {
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
