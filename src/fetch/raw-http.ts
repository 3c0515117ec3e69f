/**
 * A minimal HTTP/1.1 GET for blob bodies. Multi-gigabyte downloads through `fetch` allocate a fresh buffer for
 * every socket read, and the garbage they make costs more than the download itself (bench:fetch: 0.4× curl).
 * Here the socket reads into one reused buffer (`onread`), and the caller hashes and writes each piece before
 * the next read. Only the simple case is handled: a response with a Content-Length. Everything else (a
 * redirect, an error, a chunked body) comes back unread, for the caller to follow or to hand to `fetch`.
 */
import net from "node:net";
import tls from "node:tls";

export interface RawResponse {
  status: number;
  /** Lower-cased names. */
  headers: Map<string, string>;
  /** Whether the body was delivered to `onBody` (a 2xx with a Content-Length). */
  bodyRead: boolean;
}

export interface RawGetOptions {
  headers: Record<string, string>;
  /** Called once before the body of a response whose body is read. */
  onHead: (status: number) => void;
  /** Receives the body piece by piece; a piece is only valid during the call (its memory is reused). */
  onBody: (piece: Uint8Array) => void;
  /** Fails when the connection is silent for this long. */
  idleTimeoutMs: number;
  /** The body a 2xx status must have: another Content-Length fails before a byte of it is taken. */
  expectedLength: (status: number) => number;
  signal?: AbortSignal;
}

const READ_BUFFER_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 64 * 1024;

export class PrematureCloseError extends Error {}

/** The server means to send another number of bytes than the lock records: nothing of it is written. */
export class UnexpectedLengthError extends Error {}

function parseHead(text: string): { status: number; headers: Map<string, string> } {
  const [statusLine = "", ...lines] = text.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (match === null) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(match[1]), headers };
}

export function rawGet(url: URL, options: RawGetOptions): Promise<RawResponse> {
  const secure = url.protocol === "https:";
  const port = Number(url.port || (secure ? 443 : 80));
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  return new Promise<RawResponse>((resolve, reject) => {
    let head: Buffer | undefined = Buffer.alloc(0);
    let response: RawResponse | undefined;
    let remaining = 0;
    let settled = false;

    const finish = (error: Error | undefined, result?: RawResponse) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      options.signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(result as RawResponse);
      else reject(error);
    };
    const onAbort = () =>
      finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error("aborted"));

    const onread = {
      buffer,
      callback: (length: number, chunk: Uint8Array): boolean => {
        if (settled) return false;
        let piece = chunk.subarray(0, length);
        if (head !== undefined) {
          const joined = Buffer.concat([head, piece]);
          const end = joined.indexOf("\r\n\r\n");
          if (end < 0) {
            if (joined.length > MAX_HEADER_BYTES) finish(new Error(`${url.origin}: response headers too large`));
            head = joined;
            return true;
          }
          head = undefined;
          try {
            const parsed = parseHead(joined.subarray(0, end).toString("latin1"));
            const length = parsed.headers.get("content-length");
            const simple =
              parsed.status >= 200 &&
              parsed.status < 300 &&
              length !== undefined &&
              !parsed.headers.has("transfer-encoding");
            response = { ...parsed, bodyRead: simple };
            if (!simple) {
              finish(undefined, response);
              return false;
            }
            const due = options.expectedLength(parsed.status);
            if (!/^\d{1,15}$/.test(length) || Number(length) !== due) {
              finish(
                new UnexpectedLengthError(
                  `${url.origin} announced ${JSON.stringify(length)} bytes where ${due} are due`,
                ),
              );
              return false;
            }
            remaining = Number(length);
            options.onHead(parsed.status);
          } catch (error) {
            finish(error as Error);
            return false;
          }
          piece = joined.subarray(end + 4);
        }
        if (piece.length > remaining) piece = piece.subarray(0, remaining);
        if (piece.length > 0) {
          try {
            options.onBody(piece);
          } catch (error) {
            finish(error as Error);
            return false;
          }
          remaining -= piece.length;
        }
        if (remaining === 0 && response !== undefined) finish(undefined, response);
        return true;
      },
    };

    const connection = { host: url.hostname, port, onread };
    const socket = secure ? tls.connect({ ...connection, servername: url.hostname }) : net.connect(connection);
    const request = [
      `GET ${url.pathname}${url.search} HTTP/1.1`,
      `Host: ${url.host}`,
      "Connection: close",
      "Accept-Encoding: identity",
      ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
      "",
      "",
    ].join("\r\n");
    socket.once(secure ? "secureConnect" : "connect", () => socket.write(request));
    socket.setTimeout(options.idleTimeoutMs, () => finish(new Error(`no data for ${options.idleTimeoutMs} ms`)));
    socket.on("error", (error) => finish(error));
    socket.on("close", () => {
      finish(
        response === undefined
          ? new PrematureCloseError(`${url.origin} closed the connection before answering`)
          : new PrematureCloseError(`${url.origin} closed the connection with ${remaining} bytes to go`),
      );
    });
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
