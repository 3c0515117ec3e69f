/**
 * Text from a repository or a server, made safe for where it goes. A control character (a newline, ESC, NUL)
 * in a name would end a Dockerfile line, fake a workflow command (`::error::` starts a line) or rewrite the
 * terminal, so names refuse them and output shows them escaped.
 */

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** Control characters written as escapes (`\n`, `\u001b`), so a line stays one line and shows what it held. */
export function neutraliseControlCharacters(text: string, keep: ReadonlySet<string> = new Set()): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (!isControl(code) || keep.has(char)) out += char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out;
}

const LINE_BREAKS_AND_TABS = new Set(["\n", "\t"]);

/**
 * Text for a log that a workflow runner reads: control characters escaped (a carriage return could hide a
 * line, an ESC rewrite the screen), and a line that would start a workflow command (`::error::`,
 * `::stop-commands::`) broken with a zero-width space after its first colon, so it is shown, never obeyed.
 */
export function forWorkflowLog(text: string): string {
  return neutraliseControlCharacters(text, LINE_BREAKS_AND_TABS)
    .split("\n")
    .map((line) => line.replace(/^(\s*):(?=:)/, "$1:\u200b"))
    .join("\n");
}
