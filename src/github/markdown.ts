/** Text inside GitHub-flavoured Markdown tables: one line, no column breaks, code spans that cannot end early. */

/** A table cell: `|` would start a new column and a line break would end the row. */
export const cell = (text: string) => text.replaceAll("|", "\\|").replace(/\r?\n/g, " ");

/** A code span in a table cell: backticks would close it. */
export const code = (text: string) => `\`${cell(text).replaceAll("`", "'")}\``;
