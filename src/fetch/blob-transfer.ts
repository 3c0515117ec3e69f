/**
 * One attempt at the rest of a blob over the network: from the registry (its credentials go to its own origin
 * only) or wherever it redirects, read by the raw reader when the answer has a Content-Length and through
 * `fetch` otherwise. The bytes go into the partial file, and through the hash, as they arrive.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, createWriteStream, openSync, writeSync } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Layer } from "../project/lockfile.js";
import { AuthenticationError, type RegistryClient, RegistryError } from "../registry/client.js";
import { type RawResponse, rawGet, UnexpectedLengthError } from "./raw-http.js";

/** One attempt at the rest of a blob: `from` bytes are in `partial` already, and `hash` has seen them. */
export interface Attempt {
  /** Aborts the attempt once a blob of this size should have arrived even on a slow link (a trickle). */
  deadline: AbortSignal;
  client: RegistryClient;
  repository: string;
  layer: Layer;
  partial: string;
  from: number;
  hash: Hash;
  /** Abort when nothing arrives for this long. */
  idleTimeoutMs: number;
  /** Told of every piece written, by its length. */
  onBytes: (bytes: number) => void;
}

/**
 * Downloads the rest of a blob into the partial file and returns the hash of the whole file. A 206 appends
 * to what is there; a 200 (the server ignored the range) starts over with a fresh hash.
 */
export async function downloadRest(attempt: Attempt): Promise<Hash> {
  const { client, repository, layer, partial, from, hash, idleTimeoutMs, onBytes } = attempt;
  const scope = `repository:${repository}:pull`;
  // A 200 to a range request restarts the blob: its whole size is then due.
  const due = (status: number) => (from > 0 && status === 206 ? layer.size - from : layer.size);
  let url = client.blobUrl(repository, layer.digest);
  let authenticated = false;
  for (let hop = 0; hop < 10; hop++) {
    const sameOrigin = url.origin === client.baseUrl;
    const headers: Record<string, string> = {};
    if (from > 0) headers.range = `bytes=${from}-`;
    const authorization = sameOrigin ? client.authorizationFor(scope) : undefined;
    if (authorization !== undefined) headers.authorization = authorization;

    let target: { hash: Hash; fd: number } | undefined;
    let response: RawResponse;
    try {
      response = await rawGet(url, {
        headers,
        idleTimeoutMs,
        expectedLength: due,
        signal: attempt.deadline,
        onHead: (status) => {
          const append = from > 0 && status === 206;
          target = { hash: append ? hash : createHash("sha256"), fd: openSync(partial, append ? "a" : "w") };
        },
        onBody: (piece) => {
          const sink = target as { hash: Hash; fd: number };
          sink.hash.update(piece);
          writeSync(sink.fd, piece);
          onBytes(piece.length);
        },
      });
    } finally {
      if (target !== undefined) closeSync(target.fd);
    }
    if (response.bodyRead) return (target as { hash: Hash }).hash;

    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== undefined) {
      // Credentials stay with the registry's origin; a CDN gets a signed URL instead.
      url = new URL(location, url);
      continue;
    }
    if (response.status === 401 && sameOrigin && !authenticated) {
      await client.authenticate(response.headers.get("www-authenticate") ?? null, scope);
      authenticated = true;
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new AuthenticationError(
        `${url.origin} refused the download of ${layer.digest}: HTTP ${response.status}`,
        response.status,
      );
    }
    if (response.status >= 200 && response.status < 300) {
      return streamThroughFetch(attempt);
    }
    throw new RegistryError(`GET ${url.origin}${url.pathname}: HTTP ${response.status}`, response.status);
  }
  throw new RegistryError(`too many redirects for ${layer.digest}`);
}

/** The general path, for responses the raw reader leaves alone (a body without a Content-Length). */
async function streamThroughFetch(attempt: Attempt): Promise<Hash> {
  const { client, repository, layer, partial, from, hash, idleTimeoutMs, onBytes, deadline } = attempt;
  const controller = new AbortController();
  const abortAtDeadline = () => controller.abort(deadline.reason);
  deadline.addEventListener("abort", abortAtDeadline, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const armIdleTimer = () => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(new Error(`no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  };
  armIdleTimer();
  try {
    const response = await client.getBlob(repository, layer.digest, from, controller.signal);
    if (response.body === null) throw new Error("empty response");
    const append = from > 0 && response.status === 206;
    const effectiveHash = append ? hash : createHash("sha256");
    const due = append ? layer.size - from : layer.size;
    let received = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        armIdleTimer();
        received += chunk.length;
        if (received > due) {
          callback(
            new UnexpectedLengthError(`${client.baseUrl} sent more than the ${due} bytes due for ${layer.digest}`),
          );
          return;
        }
        effectiveHash.update(chunk);
        onBytes(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
      hashing,
      createWriteStream(partial, { flags: append ? "a" : "w", highWaterMark: 1024 * 1024 }),
      { signal: controller.signal },
    );
    return effectiveHash;
  } finally {
    clearTimeout(idle);
    deadline.removeEventListener("abort", abortAtDeadline);
  }
}
