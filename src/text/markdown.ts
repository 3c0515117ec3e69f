/** Text inside GitHub-flavoured Markdown tables: one line, no column breaks, code spans that cannot end early. */

/** A table cell: `|` would start a new column and a line break (CommonMark counts a lone `\r` too) would end the row. */
export const cell = (text: string) => text.replaceAll("|", "\\|").replace(/\r\n?|\n/g, " ");

/** A code span in a table cell: backticks would close it. */
export const code = (text: string) => `\`${cell(text).replaceAll("`", "'")}\``;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@\u2060" };

/**
 * Prose from elsewhere in a table cell or a line: no column or row breaks, no HTML tags (GitHub renders some),
 * no @-mentions (an invisible word joiner after `@` keeps GitHub from notifying anyone), no references (`#12`,
 * `owner/repo#12` and `GH-12` would link, and back-link from, issues anywhere), and no markdown of its own:
 * brackets (links, images), emphasis and code marks are escaped, and `://` and `www.` are broken so no bare
 * address becomes a link.
 */
export const text = (prose: string) =>
  cell(
    prose
      .replace(/[\\[\]*_~`]/g, (c) => `\\${c}`)
      .replaceAll("://", ":\u2060//")
      .replace(/www\./gi, (w) => `${w.slice(0, 3)}\u2060.`)
      .replace(/#(?=\d)/g, "#\u2060")
      .replace(/\bGH-(?=\d)/gi, (gh) => `${gh.slice(0, 2)}\u2060-`),
  ).replace(/[&<>@]/g, (c) => ESCAPES[c] as string);

/** At most `max` UTF-16 units (never fewer than the characters GitHub counts), `…` marking a cut; never half a surrogate pair. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(value.charAt(end - 1))) end -= 1;
  return `${value.slice(0, end)}…`;
}
