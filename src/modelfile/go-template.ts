/**
 * A port of the parsing half of Go's `text/template/parse` (`parse.go`, Go 1.26), which Ollama runs on every
 * TEMPLATE (`template.New("").Option("missingkey=zero").Funcs(funcs).Parse(s)`): it refuses exactly the
 * templates Go refuses, with Go's error text, including its line number. Nothing is executed, and no tree is
 * kept beyond what Go's checks read: the type of each node, and whether a template's body is empty.
 *
 * The structure follows Go's closely (one method per Go function, the same token look-ahead with its three
 * slots), because the line in Go's messages is that of the last token read, which depends on exactly how far
 * the parser has looked ahead. This module holds the template lists and control structures; the pipelines
 * inside actions are go-template-pipeline.ts's.
 */
import { Lexer } from "./go-template-lex.js";
import { goQuoteBytes } from "./go-template-literals.js";
import { type Node, node, PipelineParser, type Shared, TemplateSyntaxError } from "./go-template-pipeline.js";
import type { Item } from "./go-template-tokens.js";

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

class Tree extends PipelineParser {
  private rangeDepth = 0;

  constructor(
    private name: string,
    shared: Shared,
  ) {
    super(shared);
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
}

/** Go's IsEmptyTree for one node: text of Unicode white space only (comments never reach the parser). */
function isEmptyNode(n: Node): boolean {
  return (
    n.type === "text" && /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(n.text)
  );
}
