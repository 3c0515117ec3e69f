/** How a schema's complaints read: one line per issue, naming the setting. */
import type { z } from "zod";
import { neutraliseControlCharacters } from "./safe-text.js";

/**
 * Formats zod issues as `where: what was expected`, one per line. Keys and values quoted in a message come
 * from the file: their control characters are escaped, so that one issue stays one line.
 */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
      return `${prefix}${neutraliseControlCharacters(`${where}: ${issue.message}`)}`;
    })
    .join("\n");
}
