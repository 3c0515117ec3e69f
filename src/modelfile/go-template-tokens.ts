/**
 * The tokens of Go's template lexer (`item`, lex.go) and the parser's three-token look-ahead over them
 * (`Tree.next`, `backup`, `peek`, ... in parse.go).
 */
import type { Lexer } from "./go-template-lex.js";
import { goQuote } from "./go-template-literals.js";

/** Keywords; Go orders them after `itemKeyword`, and errors print them as `<val>`. */
export const KEYWORDS = [
  "block",
  "break",
  "continue",
  "define",
  "else",
  "end",
  "if",
  "nil",
  "range",
  "template",
  "with",
] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** Go's item types, without the `item` prefix; `error` items carry the error's text as their value. */
export type ItemType = Structure | Punctuation | Literal | Name | Keyword;
type Structure = "comment" | "eof" | "error" | "leftDelim" | "rightDelim" | "text";
/** `char` is any other printable ASCII character, such as a comma. */
type Punctuation = "assign" | "char" | "declare" | "leftParen" | "pipe" | "rightParen" | "space";
/** `complex` is a constant such as 1+2i. */
type Literal = "bool" | "charConstant" | "complex" | "number" | "rawString" | "string";
/** `dot` is the cursor, `.`; Go counts it among the keywords. */
type Name = "dot" | "field" | "identifier" | "variable";

const PRINTED_AS_KEYWORD: ReadonlySet<ItemType> = new Set<ItemType>(["dot", ...KEYWORDS]);

export interface Item {
  type: ItemType;
  val: string;
  /** The line the item starts on. */
  line: number;
}

/** Go's `item.String()`, which is how errors name a token. */
export function describeItem(item: Item): string {
  if (item.type === "eof") return "EOF";
  if (item.type === "error") return item.val;
  if (PRINTED_AS_KEYWORD.has(item.type)) return `<${item.val}>`;
  // Go measures the value in bytes, then prints `%.10q`: the first 10 runes, quoted.
  if (Buffer.byteLength(item.val, "utf8") > 10) return `${goQuote([...item.val].slice(0, 10).join(""))}...`;
  return goQuote(item.val);
}

/** The parser's view of the lexer, with Go's look-ahead: each tree has its own, all share one lexer. */
export class TokenReader {
  /** Go's `token [3]item`; `token[0]` is always the item read last, whose line Go's errors report. */
  private readonly token: Item[] = [NO_ITEM, NO_ITEM, NO_ITEM];
  private peekCount = 0;

  constructor(private readonly lexer: Lexer) {}

  /** The line of the item read last, whatever has been backed up since. */
  protected get lastLine(): number {
    return this.slot(0).line;
  }

  private slot(i: number): Item {
    return this.token[i] as Item;
  }

  protected next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lexer.nextItem();
    return this.slot(this.peekCount);
  }

  protected backup(): void {
    this.peekCount++;
  }

  /** Backs up two tokens: `t1`, and the one read last. */
  protected backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  /** Backs up three tokens, in reverse order: `t2`, `t1`, and the one read last. */
  protected backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  protected peek(): Item {
    if (this.peekCount > 0) return this.slot(this.peekCount - 1);
    this.peekCount = 1;
    this.token[0] = this.lexer.nextItem();
    return this.slot(0);
  }

  protected nextNonSpace(): Item {
    let token = this.next();
    while (token.type === "space") token = this.next();
    return token;
  }

  protected peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }
}

const NO_ITEM: Item = { type: "eof", val: "", line: 0 };
