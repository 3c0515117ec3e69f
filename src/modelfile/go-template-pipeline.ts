/**
 * The expression half of Go's template parser (`parse.go`): pipelines, their variable declarations, commands,
 * operands and terms, i.e. what an action computes. go-template.ts builds the control structures and the
 * template lists on it; the two are one parser in Go (`Tree`), split here by that seam.
 */
import type { Lexer } from "./go-template-lex.js";
import { goQuote, numberError, unquote } from "./go-template-literals.js";
import { describeItem, type Item, type ItemType, TokenReader } from "./go-template-tokens.js";

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Go's maxStackDepth: the deepest nesting of parenthesized pipelines. */
const MAX_STACK_DEPTH = 10000;

/** The parts of a parse tree that Go's checks read: node types, and a few nodes' text. */
export type NodeType = Statement | Operand;
type Statement = "text" | "action" | "if" | "range" | "with" | "template" | "break" | "continue" | "end" | "else";
type Operand = "bool" | "chain" | "dot" | "field" | "identifier" | "nil" | "number" | "pipe" | "string" | "variable";

export interface Node {
  type: NodeType;
  /** Go's `String()` where a message prints the node, and a text node's text. */
  text: string;
}

export const node = (type: NodeType, text = ""): Node => ({ type, text });

/** The tokens that can start an operand. */
const OPERAND_STARTS: ReadonlySet<ItemType> = new Set<ItemType>([
  ...(["bool", "charConstant", "complex", "dot", "field", "identifier", "number", "nil"] as const),
  ...(["rawString", "string", "variable", "leftParen"] as const),
]);

/** Operands that cannot start a later stage of a pipeline, nor take a field. */
const LITERALS: ReadonlySet<NodeType> = new Set<NodeType>(["bool", "dot", "nil", "number", "string"]);

/** What the trees of one Parse share: the lexer, the functions, and each defined name's body emptiness. */
export interface Shared {
  lexer: Lexer;
  hasFunction: (name: string) => boolean;
  treeSet: Map<string, boolean>;
}

/** Go's Tree, less its control structures: the state pipelines need, and Go's error reporting. */
export abstract class PipelineParser extends TokenReader {
  /** Variables defined at the moment. */
  protected vars = ["$"];
  /** Line of the `{{` of the action being parsed, or 0. */
  protected actionLine = 0;
  private stackDepth = 0;

  constructor(protected readonly shared: Shared) {
    super(shared.lexer);
  }

  protected errorf(message: string): never {
    const line = this.lastLine;
    throw new TemplateSyntaxError(`template: :${line}: ${message}`, line);
  }

  protected expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  protected unexpected(token: Item, context: string): never {
    if (token.type !== "error") this.errorf(`unexpected ${describeItem(token)} in ${context}`);
    let extra = "";
    if (this.actionLine !== 0 && this.actionLine !== token.line) {
      // "unclosed action started at", rather than "unclosed action in action started at".
      extra = `${token.val.endsWith(" action") ? "" : " in action"} started at :${this.actionLine}`;
    }
    this.errorf(`${token.val}${extra}`);
  }

  /** declarations? command ('|' command)*, up to `end`. */
  protected pipeline(context: string, end: ItemType): Node {
    this.peekNonSpace();
    this.declarations(context);
    const firstOperands: NodeType[] = [];
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(firstOperands, context);
        return node("pipe");
      }
      if (!OPERAND_STARTS.has(token.type)) this.unexpected(token, context);
      this.backup();
      firstOperands.push(this.command());
    }
  }

  /**
   * `$x :=` or `$x =`, or for a range `$i, $e :=`. Telling `$x :=` from `$x foo` needs three tokens of
   * look-ahead, since the space between them is a token: what was read is pushed back when it is no declaration.
   */
  private declarations(context: string): void {
    let declared = 0;
    for (;;) {
      const variable = this.peekNonSpace();
      if (variable.type !== "variable") return;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        this.nextNonSpace();
        this.vars.push(variable.val);
      } else if (next.type === "char" && next.val === ",") {
        this.nextNonSpace();
        this.vars.push(variable.val);
        declared++;
        if (context === "range" && declared < 2) {
          const after = this.peekNonSpace().type;
          if (after === "variable" || after === "rightDelim" || after === "rightParen") continue; // the second variable
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === "space") {
        this.backup3(variable, tokenAfterVariable);
      } else {
        this.backup2(variable);
      }
      return;
    }
  }

  private checkPipeline(firstOperands: NodeType[], context: string): void {
    if (firstOperands.length === 0) this.errorf(`missing value for ${context}`);
    // Only the first command of a pipeline may start with a literal (A|B|C: stage 2 is B).
    for (let i = 1; i < firstOperands.length; i++) {
      if (LITERALS.has(firstOperands[i] as NodeType)) this.errorf(`non executable command in pipeline stage ${i + 1}`);
    }
  }

  /** Space-separated operands up to a pipe (consumed) or a closing delimiter (left): the first one's type. */
  private command(): NodeType {
    let first: NodeType | undefined;
    this.peekNonSpace();
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      first ??= operand?.type;
      const token = this.next();
      if (token.type === "space") continue;
      if (token.type === "rightDelim" || token.type === "rightParen") this.backup();
      else if (token.type !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (first === undefined) this.errorf("empty command");
    return first;
  }

  /** A term followed by any number of .Field accesses. */
  private operand(): Node | undefined {
    const term = this.term();
    if (term === undefined || this.peek().type !== "field") return term;
    while (this.peek().type === "field") this.next();
    if (LITERALS.has(term.type)) this.errorf(`unexpected . after term ${goQuote(term.text)}`);
    return term.type === "field" || term.type === "variable" ? term : node("chain");
  }

  /** A literal, function name, `.`, `.Field`, `$x` or parenthesized pipeline; undefined (unread) otherwise. */
  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "identifier":
        if (!this.shared.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return node("identifier");
      case "dot":
        return node("dot", ".");
      case "nil":
        return node("nil", "nil");
      case "variable":
        return this.useVar(token.val);
      case "field":
        return node("field");
      case "bool":
        return node("bool", token.val);
      case "charConstant":
      case "complex":
      case "number": {
        const error = numberError(token.val, token.type);
        if (error !== undefined) this.errorf(error);
        return node("number", token.val);
      }
      case "leftParen":
        return this.parenthesized();
      case "string":
      case "rawString":
        this.unquote(token.val);
        return node("string", token.val);
    }
    this.backup();
    return undefined;
  }

  private parenthesized(): Node {
    if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
    this.stackDepth++;
    try {
      return this.pipeline("parenthesized pipeline", "rightParen");
    } finally {
      this.stackDepth--;
    }
  }

  private useVar(name: string): Node {
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
    return node("variable");
  }

  /** strconv.Unquote: the value's bytes, one per character, as Go compares names byte by byte. */
  protected unquote(quoted: string): string {
    const value = unquote(quoted);
    if (value === undefined) this.errorf("invalid syntax");
    return value;
  }
}
