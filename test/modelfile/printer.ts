/**
 * Commands → Modelfile text that parses back to the same commands. Ollama's own `Command.String` can print
 * text that does not parse back (a `"` right before a line break inside `"…"`, PARAMETER names that collide
 * with instructions), so each value takes the first form that provably survives the parser's rules:
 * bare, then `"…"`, then `"""…"""`.
 */
import { type Command, splitMessage } from "../../src/modelfile/parser.js";

const isLineBreak = (unit: number) => unit === 0x0a || unit === 0x0d;
const isBlank = (unit: number) => unit === 0x20 || unit === 0x09 || isLineBreak(unit);

/**
 * The parser ends a value at a line break as soon as the text so far, trimmed, is a complete value; a quoted
 * form is safe only when no line break inside it ends it early. (`opening` is all quotes: the text so far,
 * `opening` + the value up to its last non-blank character, is complete when that part of the value is at
 * least as long as `opening` and ends with it.) One pass: long values must not take quadratic time.
 */
function closesEarly(opening: string, value: string): boolean {
  let end = 0; // one past the last non-blank character before the current one
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (isLineBreak(unit)) {
      if (end >= opening.length && value.startsWith(opening, end - opening.length)) return true;
    } else if (!isBlank(unit)) {
      end = i + 1;
    }
  }
  return false;
}

export function quoteValue(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const bare = value === "" || (!/[\r\n]/.test(value) && !isBlank(first) && !isBlank(last) && !value.startsWith('"'));
  if (bare) return value;
  if (!value.startsWith('""') && !closesEarly('"', value)) return `"${value}"`;
  if (!closesEarly('"""', value)) return `"""${value}"""`;
  throw new Error(`no Modelfile quoting can represent the value ${JSON.stringify(value)}`);
}

export function formatCommand(command: Command): string {
  if (command.kind === "parameter") return `PARAMETER ${command.name} ${quoteValue(command.args)}`;
  if (command.name === "model") return `FROM ${quoteValue(command.args)}`;
  if (command.name === "message") {
    const { role, content } = splitMessage(command.args);
    return `MESSAGE ${role} ${quoteValue(content)}`;
  }
  return `${command.name.toUpperCase()} ${quoteValue(command.args)}`;
}

export function formatModelfile(commands: readonly Command[]): string {
  return commands.map((c) => `${formatCommand(c)}\n`).join("");
}
