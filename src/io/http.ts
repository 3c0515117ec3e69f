/**
 * What any HTTP response from a registry or an Ollama server may cost us: bodies are read up to a limit (a
 * hostile or broken server can send gigabytes where kilobytes are due), and text from a server is clipped
 * before it reaches a message, a log or a report.
 */

export class ResponseTooLargeError extends Error {}

/** Bytes a manifest, a token or an API answer may take; Ollama's and OCI manifests are a few kilobytes. */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** How much of a server's error text a message quotes. */
export const QUOTED_TEXT_CHARS = 300;

/** A server's text quoted in a message: at most `max` characters, the cut marked with `note` (the full length). */
export function clipQuoted(
  text: string,
  max = QUOTED_TEXT_CHARS,
  note = `${text.length.toLocaleString("en-US")} characters`,
): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${note})`;
}

/** A Content-Length that is a plain non-negative integer, else undefined (absent or malformed). */
export function contentLength(headers: Headers | Map<string, string>): number | undefined {
  const value = headers.get("content-length");
  if (value === null || value === undefined) return undefined;
  return /^\d{1,15}$/.test(value.trim()) ? Number(value) : Number.NaN;
}

/** The body's bytes, failing as soon as it passes `max` (announced or sent). */
export async function readCappedBytes(response: Response, max: number, what: string): Promise<Uint8Array> {
  const announced = contentLength(response.headers);
  if (announced !== undefined && (Number.isNaN(announced) || announced > max)) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(
      Number.isNaN(announced)
        ? `${what}: the server sent an invalid Content-Length ${JSON.stringify(response.headers.get("content-length"))}`
        : `${what}: the server announced ${announced} bytes, more than the ${max} allowed`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new ResponseTooLargeError(`${what}: the response passed the ${max} bytes allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function readCappedText(response: Response, max: number, what: string): Promise<string> {
  return new TextDecoder().decode(await readCappedBytes(response, max, what));
}

const ERROR_BODY_BYTES = 64 * 1024;

/** A server's error text for a message: its first 64 KiB at most (the rest is never read), clipped. */
export async function errorText(response: Response): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let more = false;
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || value === undefined) break;
    chunks.push(value);
    total += value.length;
    if (total > ERROR_BODY_BYTES) {
      more = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES)).trim();
  return more ? clipQuoted(text, QUOTED_TEXT_CHARS, "more than 64 KiB") : clipQuoted(text);
}
