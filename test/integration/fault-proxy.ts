/**
 * An HTTP proxy in front of a real registry that injects the faults a download must survive: 5xx answers,
 * connections cut mid-body, corrupted bytes, stalls, servers that ignore Range, and redirects of blob
 * downloads to another origin (as Ollama's registry redirects to its CDN).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Faults {
  /** Answer this many matching requests with 500 before letting them through. */
  serverErrors?: number;
  /** Cut the connection after this many body bytes, for this many blob downloads. */
  cutAfterBytes?: number;
  cuts?: number;
  /** Flip one byte of every blob body. */
  corrupt?: boolean;
  /** Send headers, then nothing, for this many blob downloads. */
  stalls?: number;
  /** Drop the Range header (the upstream then answers 200 with the whole blob). */
  ignoreRange?: boolean;
  /** Redirect blob GETs to this origin (another proxy), like a CDN. */
  redirectBlobsTo?: string;
  /** Send blob bodies with chunked transfer encoding instead of a Content-Length. */
  chunked?: boolean;
  /** Append this many bytes to every blob body (its Content-Length, when sent, grows with it). */
  padBlobs?: number;
  /** Send this as every blob's Content-Length instead of the true one (malformed, negative, too large). */
  blobContentLength?: string;
  /** Send blob bodies one byte every this many ms (a trickle that never goes idle). */
  trickleMs?: number;
  /** Answer manifest GETs with this many bytes of padding after the manifest, chunked (no Content-Length). */
  padManifests?: number;
  /** Hold every blob body chunk this long before passing it on (a slow link). */
  delayChunksMs?: number;
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  /** Every request seen: method, path, the Range and Authorization headers. */
  requests: { method: string; path: string; range?: string; authorization?: string }[];
  close(): Promise<void>;
}

const isBlobGet = (request: IncomingMessage) => request.method === "GET" && /\/blobs\/sha256:/.test(request.url ?? "");
const isManifestGet = (request: IncomingMessage) => request.method === "GET" && /\/manifests\//.test(request.url ?? "");

export async function startFaultProxy(upstream: string, faults: Faults = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const state: FaultProxy = {
    url: "",
    faults,
    requests: [],
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    state.requests.push({
      method: request.method ?? "",
      path: request.url ?? "",
      ...(request.headers.range ? { range: request.headers.range } : {}),
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    const f = state.faults;
    if ((f.serverErrors ?? 0) > 0) {
      f.serverErrors = (f.serverErrors ?? 0) - 1;
      response.writeHead(500, { "content-type": "text/plain" });
      response.end("injected failure");
      return;
    }
    if (isBlobGet(request) && f.redirectBlobsTo) {
      response.writeHead(307, { location: `${f.redirectBlobsTo}${request.url}` });
      response.end();
      return;
    }
    const headers = { ...request.headers, host: target.host };
    if (f.ignoreRange) delete headers.range;
    const upstreamRequest = httpRequest(
      { hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers },
      (upstreamResponse) => {
        const blob = isBlobGet(request) && (upstreamResponse.statusCode ?? 0) < 300;
        const responseHeaders = { ...upstreamResponse.headers };
        if (isManifestGet(request) && f.padManifests !== undefined) {
          delete responseHeaders["content-length"];
          delete responseHeaders["docker-content-digest"];
          response.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
          upstreamResponse.on("data", (chunk: Buffer) => response.write(chunk));
          upstreamResponse.on("end", () => {
            for (let left = f.padManifests ?? 0; left > 0; left -= 65536)
              response.write(" ".repeat(Math.min(left, 65536)));
            response.end();
          });
          return;
        }
        if (blob && f.chunked) delete responseHeaders["content-length"];
        if (blob && f.padBlobs !== undefined && responseHeaders["content-length"] !== undefined) {
          responseHeaders["content-length"] = String(Number(responseHeaders["content-length"]) + f.padBlobs);
        }
        if (blob && f.blobContentLength !== undefined) responseHeaders["content-length"] = f.blobContentLength;
        response.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
        if (blob && (f.stalls ?? 0) > 0) {
          f.stalls = (f.stalls ?? 0) - 1;
          response.flushHeaders();
          return; // never sends the body; the client's idle timeout must fire
        }
        if (blob && f.delayChunksMs !== undefined) {
          upstreamResponse.on("data", () => {
            upstreamResponse.pause();
            setTimeout(() => upstreamResponse.resume(), f.delayChunksMs);
          });
        }
        const cutting = blob && f.cutAfterBytes !== undefined && (f.cuts ?? 0) > 0;
        let sent = 0;
        let flipped = false;
        upstreamResponse.on("data", (chunk: Buffer) => {
          let out = chunk;
          if (blob && f.corrupt && !flipped) {
            out = Buffer.from(chunk);
            out[0] = (out[0] ?? 0) ^ 0xff;
            flipped = true;
          }
          if (cutting && (f.cuts ?? 0) > 0 && sent + out.length >= (f.cutAfterBytes ?? 0)) {
            f.cuts = (f.cuts ?? 0) - 1;
            response.write(out.subarray(0, (f.cutAfterBytes ?? 0) - sent));
            response.socket?.destroy();
            upstreamResponse.destroy();
            return;
          }
          sent += out.length;
          response.write(out);
        });
        if (blob && f.trickleMs !== undefined) {
          // Hold the body and let it out one byte at a time.
          const pending: Buffer[] = [];
          upstreamResponse.removeAllListeners("data");
          upstreamResponse.on("data", (chunk: Buffer) => pending.push(chunk));
          upstreamResponse.on("end", () => {
            const body = Buffer.concat(pending);
            let at = 0;
            const timer = setInterval(() => {
              if (at >= body.length || response.destroyed) {
                clearInterval(timer);
                response.end();
                return;
              }
              response.write(body.subarray(at, at + 1));
              at += 1;
            }, f.trickleMs);
          });
          return;
        }
        upstreamResponse.on("end", () => {
          if (blob && f.padBlobs !== undefined) response.write(Buffer.alloc(f.padBlobs));
          response.end();
        });
      },
    );
    upstreamRequest.on("error", () => response.destroy());
    request.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
