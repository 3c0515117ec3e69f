/**
 * A minimal HTTP/1.1 GET for blob bodies. Multi-gigabyte downloads through `fetch` allocate a fresh buffer for
 * every socket read, and the garbage they make costs more than the download itself (bench:fetch: 0.4× curl).
 * Here the socket reads into one reused buffer (`onread`), and the caller hashes and writes each piece before
 * the next read. Only the simple case is handled: a response with a Content-Length. Everything else (a
 * redirect, an error, a chunked body) comes back unread, for the caller to follow or to hand to `fetch`.
 */
import net from "node:net";
import tls from "node:tls";
import { contentLength } from "../io/http.js";

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
  return new Promise<RawResponse>((resolve, reject) => {
    new RawGet(url, options, resolve, reject);
  });
}

/**
 * One GET on a connection of its own, sent when it is constructed; it settles the promise once. The socket
 * reads into one buffer: each read goes to the response's head until that is complete, then piece by piece
 * to `onBody` until the Content-Length is reached.
 */
class RawGet {
  private readonly socket: net.Socket;
  /** The head read so far; undefined once it is complete. */
  private head: Buffer | undefined = Buffer.alloc(0);
  private response: RawResponse | undefined;
  /** The body's bytes still to come. */
  private remaining = 0;
  private settled = false;
  private readonly onAbort = () => {
    const reason = this.options.signal?.reason;
    this.finish(reason instanceof Error ? reason : new Error("aborted"));
  };

  constructor(
    private readonly url: URL,
    private readonly options: RawGetOptions,
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (length: number, chunk: Uint8Array) => this.read(chunk.subarray(0, length)),
    };
    const connection = { host: url.hostname, port, onread };
    this.socket = secure ? tls.connect({ ...connection, servername: url.hostname }) : net.connect(connection);
    this.socket.once(secure ? "secureConnect" : "connect", () => this.socket.write(this.request()));
    this.socket.setTimeout(options.idleTimeoutMs, () =>
      this.finish(new Error(`no data for ${options.idleTimeoutMs} ms`)),
    );
    this.socket.on("error", (error) => this.finish(error));
    this.socket.on("close", () => {
      this.finish(
        new PrematureCloseError(
          this.response === undefined
            ? `${url.origin} closed the connection before answering`
            : `${url.origin} closed the connection with ${this.remaining} bytes to go`,
        ),
      );
    });
    if (options.signal?.aborted) this.onAbort();
    else options.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  private request(): string {
    return [
      `GET ${this.url.pathname}${this.url.search} HTTP/1.1`,
      `Host: ${this.url.host}`,
      "Connection: close",
      "Accept-Encoding: identity",
      ...Object.entries(this.options.headers).map(([name, value]) => `${name}: ${value}`),
      "",
      "",
    ].join("\r\n");
  }

  private finish(error: Error | undefined, response?: RawResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.socket.destroy();
    this.options.signal?.removeEventListener("abort", this.onAbort);
    if (error === undefined) this.resolve(response as RawResponse);
    else this.reject(error);
  }

  /** What the socket read; false stops reading. */
  private read(piece: Uint8Array): boolean {
    if (this.settled) return false;
    if (this.head === undefined) return this.readBody(piece);
    const joined = Buffer.concat([this.head, piece]);
    const end = joined.indexOf("\r\n\r\n");
    if (end < 0) {
      if (joined.length > MAX_HEADER_BYTES) this.finish(new Error(`${this.url.origin}: response headers too large`));
      this.head = joined;
      return true;
    }
    this.head = undefined;
    return this.readHead(joined.subarray(0, end)) && this.readBody(joined.subarray(end + 4));
  }

  /** The complete head: whether the body follows for `onBody` (otherwise the answer is settled). */
  private readHead(head: Buffer): boolean {
    try {
      const parsed = parseHead(head.toString("latin1"));
      const length = parsed.headers.get("content-length");
      const simple =
        parsed.status >= 200 && parsed.status < 300 && length !== undefined && !parsed.headers.has("transfer-encoding");
      this.response = { ...parsed, bodyRead: simple };
      if (!simple) {
        this.finish(undefined, this.response);
        return false;
      }
      const due = this.options.expectedLength(parsed.status);
      if (contentLength(parsed.headers) !== due) {
        this.finish(
          new UnexpectedLengthError(
            `${this.url.origin} announced ${JSON.stringify(length)} bytes where ${due} are due`,
          ),
        );
        return false;
      }
      this.remaining = Number(length);
      this.options.onHead(parsed.status);
      return true;
    } catch (error) {
      this.finish(error as Error);
      return false;
    }
  }

  private readBody(received: Uint8Array): boolean {
    const piece = received.length > this.remaining ? received.subarray(0, this.remaining) : received;
    if (piece.length > 0) {
      try {
        this.options.onBody(piece);
      } catch (error) {
        this.finish(error as Error);
        return false;
      }
      this.remaining -= piece.length;
    }
    if (this.remaining === 0 && this.response !== undefined) this.finish(undefined, this.response);
    return true;
  }
}
