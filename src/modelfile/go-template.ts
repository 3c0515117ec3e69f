/**
 * A port of the parsing half of Go's `text/template/parse` (`parse.go`, Go 1.26), which Ollama runs on every
 * TEMPLATE (`template.New("").Option("missingkey=zero").Funcs(funcs).Parse(s)`): it refuses exactly the
 * templates Go refuses, with Go's error text, including its line number. Nothing is executed, and no tree is
 * kept beyond what Go's checks read: the type of each node, and whether a template's body is empty.
 *
 * The structure follows Go's closely (one method per Go function, the same token look-ahead with its three
 * slots), because the line in Go's messages is that of the last token read, which depends on exactly how far
 * the parser has looked ahead.
 */
import { Lexer } from "./go-template-lex.js";
import { goQuote, goQuoteBytes, numberError, unquote } from "./go-template-literals.js";
import { describeItem, type Item, type ItemType, TokenReader } from "./go-template-tokens.js";

/** Go's builtin template functions (text/template). */
export const GO_TEMPLATE_BUILTINS: ReadonlySet<string> = new Set(
  "and call html index slice js len not or print printf println urlquery eq ge gt le lt ne".split(" "),
);

export interface TemplateError {
  /** Go's whole error text, e.g. `template: :3: unexpected EOF`. */
  message: string;
  line: number;
}

/**
 * What Go's template.New("").Funcs(funcs).Parse(text) reports, or undefined when it parses. `functions` are
 * the extra function names (Ollama's).
 */
export function checkGoTemplate(text: string, functions: ReadonlySet<string>): TemplateError | undefined {
  const hasFunction = (name: string) => GO_TEMPLATE_BUILTINS.has(name) || functions.has(name);
  // As in Go, a function called "break" or "continue" turns the keyword into an identifier.
  const lexer = new Lexer(text, { breakOK: !hasFunction("break"), continueOK: !hasFunction("continue") });
  try {
    new Tree("", { lexer, hasFunction, treeSet: new Map() }).parse();
    return undefined;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { message: error.message, line: error.line };
    if (error instanceof RangeError) return tooDeep(lexer);
    throw error;
  }
}

/**
 * The parser recurses as Go's does, once per nesting level. Go's stack grows as needed; this engine's does not,
 * and runs out at a few thousand levels of parentheses or blocks. Go would still parse such a template (up to
 * 10000 levels of parentheses): it is reported as refused, with a message that is not Go's.
 */
function tooDeep(lexer: Lexer): TemplateError {
  return { message: `template: :${lexer.line}: nesting too deep to check`, line: lexer.line };
}

class TemplateSyntaxError extends Error {
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
type NodeType = Statement | Operand;
type Statement = "text" | "action" | "if" | "range" | "with" | "template" | "break" | "continue" | "end" | "else";
type Operand = "bool" | "chain" | "dot" | "field" | "identifier" | "nil" | "number" | "pipe" | "string" | "variable";

interface Node {
  type: NodeType;
  /** Go's `String()` where a message prints the node, and a text node's text. */
  text: string;
}

const node = (type: NodeType, text = ""): Node => ({ type, text });

/** The tokens that can start an operand. */
const OPERAND_STARTS: ReadonlySet<ItemType> = new Set<ItemType>([
  ...(["bool", "charConstant", "complex", "dot", "field", "identifier", "number", "nil"] as const),
  ...(["rawString", "string", "variable", "leftParen"] as const),
]);

/** Operands that cannot start a later stage of a pipeline, nor take a field. */
const LITERALS: ReadonlySet<NodeType> = new Set<NodeType>(["bool", "dot", "nil", "number", "string"]);

/** What the trees of one Parse share: the lexer, the functions, and each defined name's body emptiness. */
interface Shared {
  lexer: Lexer;
  hasFunction: (name: string) => boolean;
  treeSet: Map<string, boolean>;
}

class Tree extends TokenReader {
  /** Variables defined at the moment. */
  private vars = ["$"];
  /** Line of the `{{` of the action being parsed, or 0. */
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;

  constructor(
    private name: string,
    private readonly shared: Shared,
  ) {
    super(shared.lexer);
  }

  private errorf(message: string): never {
    const line = this.lastLine;
    throw new TemplateSyntaxError(`template: :${line}: ${message}`, line);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.type !== "error") this.errorf(`unexpected ${describeItem(token)} in ${context}`);
    let extra = "";
    if (this.actionLine !== 0 && this.actionLine !== token.line) {
      // "unclosed action started at", rather than "unclosed action in action started at".
      extra = `${token.val.endsWith(" action") ? "" : " in action"} started at :${this.actionLine}`;
    }
    this.errorf(`${token.val}${extra}`);
  }

  /** Records a finished template; a name may be defined twice only if one of the bodies is empty. */
  private add(isEmpty: boolean): void {
    const existingIsEmpty = this.shared.treeSet.get(this.name);
    if (existingIsEmpty === undefined || existingIsEmpty) {
      this.shared.treeSet.set(this.name, isEmpty);
    } else if (!isEmpty) {
      this.errorf(`template: multiple definition of template ${goQuoteBytes(this.name)}`);
    }
  }

  /** The top level: like itemList, but it also accepts {{define}} and runs to EOF. */
  parse(): void {
    let isEmpty = true;
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const delim = this.next();
        if (this.nextNonSpace().type === "define") {
          new Tree("definition", this.shared).parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${n.text}`);
      isEmpty &&= isEmptyNode(n);
    }
    this.add(isEmpty);
  }

  /** `{{define "name"}} ... {{end}}`, after the keyword. */
  private parseDefinition(): void {
    const context = "define clause";
    const name = this.nextNonSpace();
    if (name.type !== "string" && name.type !== "rawString") this.unexpected(name, context);
    this.name = this.unquote(name.val);
    this.expect("rightDelim", context);
    const { isEmpty, end } = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${end.text} in ${context}`);
    this.add(isEmpty);
  }

  /** textOrAction* up to an {{end}} or {{else}}, which is returned separately. */
  private itemList(): { isEmpty: boolean; end: Node } {
    let isEmpty = true;
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return { isEmpty, end: n };
      isEmpty &&= isEmptyNode(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    if (token.type === "text") return node("text", token.val);
    if (token.type !== "leftDelim") this.unexpected(token, "input");
    this.actionLine = token.line;
    try {
      return this.action();
    } finally {
      this.actionLine = 0;
    }
  }

  /** A control structure, or a pipeline; the `{{` has been read. */
  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "block":
        return this.blockControl();
      case "break":
      case "continue":
        return this.loopControl(token.type);
      case "else":
        return this.elseControl();
      case "end":
        this.expect("rightDelim", "end");
        return node("end", "{{end}}");
      case "if":
      case "range":
      case "with":
        return this.parseControl(token.type);
      case "template":
        return this.templateControl();
    }
    this.backup();
    // Variables declared here persist until the enclosing {{end}}.
    this.pipeline("command", "rightDelim");
    return node("action");
  }

  private loopControl(keyword: "break" | "continue"): Node {
    const token = this.nextNonSpace();
    if (token.type !== "rightDelim") this.unexpected(token, `{{${keyword}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${keyword}}} outside {{range}}`);
    return node(keyword);
  }

  /** declarations? command ('|' command)*, up to `end`. */
  private pipeline(context: string, end: ItemType): Node {
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

  /** The pipeline and body (and else branch) of if, range and with; variables end with the control. */
  private parseControl(context: "if" | "range" | "with"): Node {
    const varsBefore = this.vars.length;
    try {
      this.pipeline(context, "rightDelim");
      if (context === "range") this.rangeDepth++;
      const { end } = this.itemList();
      if (context === "range") this.rangeDepth--;
      if (end.type === "else") this.parseElse(context);
      return node(context);
    } finally {
      this.vars.length = varsBefore;
    }
  }

  /**
   * After {{else}}. `{{else if b}}` is read as `{{else}}{{if b}}...{{end}}{{end}}`: elseControl left the `if`
   * pending, and the inner if's {{end}} closes both. Likewise `{{else with}}` in a with.
   */
  private parseElse(context: "if" | "range" | "with"): void {
    if ((context === "if" || context === "with") && this.peek().type === context) {
      this.next();
      this.parseControl(context);
      return;
    }
    const { end } = this.itemList();
    if (end.type !== "end") this.errorf(`expected end; found ${end.text}`);
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.type !== "if" && peek.type !== "with") this.expect("rightDelim", "else");
    return node("else", "{{else}}");
  }

  /** `{{block "name" pipeline}} ... {{end}}`: defines the template and calls it. */
  private blockControl(): Node {
    const context = "block clause";
    const name = this.parseTemplateName(this.nextNonSpace(), context);
    this.pipeline(context, "rightDelim");
    const block = new Tree(name, this.shared);
    const { isEmpty, end } = block.itemList();
    // Go reports this one from the outer tree, so at the line of the block's own `}}`.
    if (end.type !== "end") this.errorf(`unexpected ${end.text} in ${context}`);
    block.add(isEmpty);
    return node("template");
  }

  /** `{{template "name"}}` or `{{template "name" pipeline}}`. */
  private templateControl(): Node {
    const context = "template clause";
    this.parseTemplateName(this.nextNonSpace(), context);
    if (this.nextNonSpace().type !== "rightDelim") {
      this.backup();
      this.pipeline(context, "rightDelim");
    }
    return node("template");
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.type !== "string" && token.type !== "rawString") this.unexpected(token, context);
    return this.unquote(token.val);
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
  private unquote(quoted: string): string {
    const value = unquote(quoted);
    if (value === undefined) this.errorf("invalid syntax");
    return value;
  }
}

/** Go's IsEmptyTree for one node: text of Unicode white space only (comments never reach the parser). */
function isEmptyNode(n: Node): boolean {
  return (
    n.type === "text" && /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(n.text)
  );
}
