/** How a failure is told in one line: what was being done, and why, down to the root cause. */

/**
 * The error's message and its causes' (a fetch's "fetch failed" says nothing; its cause, "other side closed" or
 * ECONNREFUSED, says why), outermost first, each once.
 */
export function causeChain(error: unknown): string[] {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    const text = typeof message === "string" && message !== "" ? message : String(current);
    const withCode = typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
    if (!parts.includes(withCode)) parts.push(withCode);
    current =
      current instanceof Error || typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts;
}

/** `message: cause: root cause`. */
export const describeError = (error: unknown) => causeChain(error).join(": ");
