/** fetchModels against an in-process registry: downloads, resumes, redirects, credentials and corrupt blobs. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DigestMismatchError, type FetchOptions, fetchModels } from "../../src/fetch/fetch.js";
import { blobFileName, blobPath, manifestRelativePath, storeLayout } from "../../src/fetch/store.js";
import { LOCK_VERSION, type Lock } from "../../src/project/lockfile.js";
import { AuthenticationError, RegistryClient } from "../../src/registry/client.js";
import { localServer } from "../local-server.js";
import { digestOf, ollamaManifest } from "../ollama-manifest.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const config = Buffer.from('{"model_format":"gguf"}');
const weights = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
const REF = "registry.ollama.ai/library/m:1b";
const manifest = ollamaManifest(config, [["application/vnd.ollama.image.model", weights]]);
const lock: Lock = {
  version: LOCK_VERSION,
  models: {
    [REF]: { registry: "registry.ollama.ai", repository: "library/m", tag: "1b", digest: digestOf(manifest), manifest },
  },
};
const blobs = new Map([
  [digestOf(config), config],
  [digestOf(weights), weights],
]);

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const listen = async (handler: Handler): Promise<string> => (await localServer(handler)).url;

interface Seen {
  url: string;
  range?: string;
  authorization?: string;
}

/** Serves the blobs, honouring `Range: bytes=N-` (unless told not to), in the way `send` writes them. */
function blobServer(
  seen: Seen[],
  send: (body: Buffer, response: ServerResponse, status: number) => void,
  { honourRange = true } = {},
): Handler {
  return (request, response) => {
    seen.push({
      url: request.url ?? "",
      ...(request.headers.range === undefined ? {} : { range: request.headers.range }),
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
    });
    const blob = blobs.get(/\/blobs\/(sha256:[0-9a-f]+)$/.exec(request.url ?? "")?.[1] ?? "");
    if (blob === undefined) return void response.writeHead(404).end();
    const from = honourRange ? Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0) : 0;
    send(from > 0 ? blob.subarray(from) : blob, response, from > 0 ? 206 : 200);
  };
}

const withLength = (body: Buffer, response: ServerResponse, status: number) =>
  response.writeHead(status, { "content-length": body.length }).end(body);

function newStore() {
  const root = mkdtempSync(path.join(tmpdir(), "fetch-test-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return storeLayout(root);
}

async function fetchFrom(baseUrl: string, store = newStore(), extra: Partial<FetchOptions> = {}) {
  const client = new RegistryClient({ baseUrl, attempts: 1, backoffMs: 1 });
  const report = await fetchModels({ store, lock, clientFor: () => client, attempts: 3, backoffMs: 1, ...extra });
  return { store, report };
}

function expectStored(store: { models: string; partial: string }): void {
  for (const [digest, bytes] of blobs) expect(readFileSync(blobPath(store.models, digest))).toEqual(bytes);
  const manifestFile = path.join(store.models, manifestRelativePath("registry.ollama.ai", "library/m", "1b"));
  expect(readFileSync(manifestFile, "utf8")).toBe(manifest);
  expect(readdirSync(store.partial)).toEqual([]);
}

const statuses = (report: { blobs: { digest: string; status: string }[] }) =>
  Object.fromEntries(report.blobs.map((b) => [b.digest === digestOf(weights) ? "weights" : "config", b.status]));

describe("fetchModels", () => {
  it("downloads every blob, verified, then writes the manifest; a second fetch finds them present", async () => {
    const seen: Seen[] = [];
    const url = await listen(blobServer(seen, withLength));
    const { store, report } = await fetchFrom(url);
    expectStored(store);
    expect(statuses(report)).toEqual({ config: "downloaded", weights: "downloaded" });
    expect(report.bytesDownloaded).toBe(config.length + weights.length);
    expect(report.blobs.map((b) => b.digest)).toEqual([...blobs.keys()].sort());

    const again = await fetchFrom(url, store);
    expect(statuses(again.report)).toEqual({ config: "present", weights: "present" });
    expect(again.report.bytesDownloaded).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it("resumes a partial download with a Range request", async () => {
    const seen: Seen[] = [];
    const url = await listen(blobServer(seen, withLength));
    const store = newStore();
    mkdirSync(store.partial, { recursive: true });
    writeFileSync(path.join(store.partial, blobFileName(digestOf(weights))), weights.subarray(0, 100_000));
    const { report } = await fetchFrom(url, store);
    expectStored(store);
    expect(statuses(report)).toEqual({ config: "downloaded", weights: "resumed" });
    expect(seen.find((s) => s.url.endsWith(digestOf(weights)))?.range).toBe("bytes=100000-");
    expect(report.bytesDownloaded).toBe(config.length + weights.length - 100_000);
  });

  it("a server that ignores the range sends the whole blob, which replaces the partial file", async () => {
    const seen: Seen[] = [];
    const url = await listen(blobServer(seen, withLength, { honourRange: false }));
    const store = newStore();
    mkdirSync(store.partial, { recursive: true });
    writeFileSync(path.join(store.partial, blobFileName(digestOf(weights))), Buffer.alloc(100_000));
    const { report } = await fetchFrom(url, store);
    expectStored(store);
    expect(seen.find((s) => s.url.endsWith(digestOf(weights)))?.range).toBe("bytes=100000-");
    expect(report.bytesDownloaded).toBe(config.length + weights.length);
  });

  it("a body without a Content-Length (chunked) is streamed through fetch", async () => {
    const seen: Seen[] = [];
    const chunked = (body: Buffer, response: ServerResponse, status: number) => {
      response.writeHead(status);
      response.write(body.subarray(0, 1000));
      response.end(body.subarray(1000));
    };
    const url = await listen(blobServer(seen, chunked));
    const store = newStore();
    mkdirSync(store.partial, { recursive: true });
    writeFileSync(path.join(store.partial, blobFileName(digestOf(weights))), weights.subarray(0, 5_000));
    const { report } = await fetchFrom(url, store);
    expectStored(store);
    expect(statuses(report)).toEqual({ config: "downloaded", weights: "resumed" });
    // The raw reader asks, leaves the chunked answer unread, and fetch asks again.
    expect(seen.filter((s) => s.url.endsWith(digestOf(weights))).map((s) => s.range)).toEqual([
      "bytes=5000-",
      "bytes=5000-",
    ]);
  });

  it("follows a redirect to a CDN, whose request carries no credentials", async () => {
    const cdnSeen: Seen[] = [];
    const cdn = await listen(blobServer(cdnSeen, withLength));
    const registrySeen: Seen[] = [];
    const registry = await listen((request, response) => {
      if (request.url?.startsWith("/token")) {
        return void response.writeHead(200, { "content-type": "application/json" }).end('{"token":"t0k3n"}');
      }
      registrySeen.push({ url: request.url ?? "", ...(request.headers.authorization ? { authorization: "yes" } : {}) });
      if (request.headers.authorization !== "Bearer t0k3n") {
        const challenge = `Bearer realm="http://${request.headers.host}/token",service="registry"`;
        return void response.writeHead(401, { "www-authenticate": challenge }).end();
      }
      response.writeHead(307, { location: `${cdn}${request.url}` }).end();
    });
    const { store } = await fetchFrom(registry);
    expectStored(store);
    expect(cdnSeen.map((s) => s.authorization)).toEqual([undefined, undefined]);
    expect(registrySeen.filter((s) => s.authorization === "yes")).toHaveLength(2);
  });

  it("refuses a corrupt blob: it is not stored, and not retried", async () => {
    const seen: Seen[] = [];
    const corrupt = (body: Buffer, response: ServerResponse, status: number) => {
      const bad = Buffer.from(body);
      bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
      withLength(bad, response, status);
    };
    const url = await listen(blobServer(seen, corrupt));
    const store = newStore();
    const failure = fetchFrom(url, store, { concurrency: 1 });
    await expect(failure).rejects.toThrow(DigestMismatchError);
    await expect(failure).rejects.toThrow(`blob ${digestOf(config)} of ${REF} is corrupt`);
    expect(existsSync(blobPath(store.models, digestOf(config)))).toBe(false);
    expect(readdirSync(store.partial)).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it("replaces a wrong file in the store", async () => {
    const url = await listen(blobServer([], withLength));
    const store = newStore();
    mkdirSync(path.join(store.models, "blobs"), { recursive: true });
    writeFileSync(blobPath(store.models, digestOf(weights)), "not the weights");
    const logged: string[] = [];
    const { report } = await fetchFrom(url, store, { log: (message) => logged.push(message) });
    expectStored(store);
    expect(statuses(report).weights).toBe("downloaded");
    expect(logged.join("\n")).toContain(`does not match ${digestOf(weights)}: removing it and downloading again`);
  });

  it("a download that breaks off is resumed by the next attempt", async () => {
    const seen: Seen[] = [];
    let broken = false;
    const breakOnce = (body: Buffer, response: ServerResponse, status: number) => {
      if (body.length > 200_000 && !broken) {
        broken = true;
        response.writeHead(status, { "content-length": body.length });
        response.write(body.subarray(0, 120_000), () => setTimeout(() => response.socket?.destroy(), 20));
        return;
      }
      withLength(body, response, status);
    };
    const url = await listen(blobServer(seen, breakOnce));
    const logged: string[] = [];
    const { store, report } = await fetchFrom(url, newStore(), { log: (message) => logged.push(message) });
    expectStored(store);
    expect(statuses(report).weights).toBe("resumed");
    expect(seen.filter((s) => s.url.endsWith(digestOf(weights))).map((s) => s.range)).toEqual([
      undefined,
      "bytes=120000-",
    ]);
    expect(logged.join("\n")).toContain(`fetch: ${digestOf(weights)} of ${REF} broke off`);
  });

  it("takes over the blob lock of a process that is gone", async () => {
    const url = await listen(blobServer([], withLength));
    const store = newStore();
    mkdirSync(store.partial, { recursive: true });
    const lockFile = path.join(store.partial, `${blobFileName(digestOf(weights))}.lock`);
    writeFileSync(lockFile, "2147483646\n");
    const { report } = await fetchFrom(url, store);
    expectStored(store);
    expect(statuses(report).weights).toBe("downloaded");
  });

  it("a refusal (403) is final: an AuthenticationError, not retried", async () => {
    const seen: Seen[] = [];
    const url = await listen(blobServer(seen, (_, response) => response.writeHead(403).end()));
    await expect(fetchFrom(url, newStore(), { concurrency: 1 })).rejects.toThrow(AuthenticationError);
    expect(seen).toHaveLength(1);
  });

  it("a reference the lock does not pin", async () => {
    const url = await listen(blobServer([], withLength));
    await expect(fetchFrom(url, newStore(), { refs: ["registry.ollama.ai/library/other:1b"] })).rejects.toThrow(
      "registry.ollama.ai/library/other:1b is not in ollama.lock: run `ollama-build lock`",
    );
  });
});
