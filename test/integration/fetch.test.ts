/** lock and fetch against a real registry (distribution 2.8) holding Ollama-format models, with faults. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DigestMismatchError, fetchModels } from "../../src/fetch/fetch.js";
import { blobPath, manifestRelativePath, storeLayout } from "../../src/fetch/store.js";
import { resolveLockEntry } from "../../src/lock/resolve.js";
import { LOCK_VERSION, type Lock } from "../../src/project/lockfile.js";
import { canonicalModelRef, parseModelRef } from "../../src/project/model-ref.js";
import { AuthenticationError, RegistryClient } from "../../src/registry/client.js";
import { makeProject } from "../helpers.js";
import { startFaultProxy } from "./fault-proxy.js";
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USERNAME,
  PLAIN_REGISTRY,
  requireRegistry,
  type SeededModel,
  seedOllamaModel,
  uniqueRepository,
} from "./services.js";

const quiet = { attempts: 4, backoffMs: 20 };
let seeded: SeededModel;
let ref: string;

beforeAll(async () => {
  await requireRegistry();
  const namespace = uniqueRepository("ns");
  seeded = await seedOllamaModel(new RegistryClient({ baseUrl: PLAIN_REGISTRY }), {
    repository: `${namespace}/qwen3`,
    tag: "4b",
    weightBytes: 3 * 1024 * 1024,
  });
  ref = `${namespace}/qwen3:4b`;
});

async function lockFor(baseUrl: string): Promise<Lock> {
  const entry = await resolveLockEntry(new RegistryClient({ baseUrl }), parseModelRef(ref));
  return { version: LOCK_VERSION, models: { [canonicalModelRef(ref)]: entry } };
}

const clientFor =
  (baseUrl: string, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) =>
  () =>
    new RegistryClient({ baseUrl, ...quiet, ...extra });

function expectStoreHoldsModel(root: string): void {
  const { models } = storeLayout(root);
  for (const [digest, bytes] of seeded.blobs)
    expect(readFileSync(blobPath(models, digest))).toEqual(Buffer.from(bytes));
  const manifest = path.join(models, manifestRelativePath("registry.ollama.ai", seeded.repository, "4b"));
  expect(readFileSync(manifest, "utf8")).toBe(seeded.manifest);
}

describe("lock", () => {
  it("pins a tag to its manifest digest and keeps the manifest's bytes", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const entry = lock.models[canonicalModelRef(ref)];
    expect(entry?.manifest).toBe(seeded.manifest);
    expect(entry?.digest).toBe(`sha256:${createHash("sha256").update(seeded.manifest).digest("hex")}`);
    expect(entry).toMatchObject({ registry: "registry.ollama.ai", repository: seeded.repository, tag: "4b" });
  });

  it("authenticates with credentials and never prints the password", async () => {
    const client = new RegistryClient({
      baseUrl: AUTH_REGISTRY,
      credentials: { username: AUTH_USERNAME, password: AUTH_PASSWORD },
    });
    const repository = uniqueRepository("auth/qwen3");
    await seedOllamaModel(client, { repository, tag: "1b", weightBytes: 1024 });
    const entry = await resolveLockEntry(client, parseModelRef(`${repository}:1b`));
    expect(entry.digest).toMatch(/^sha256:/);

    const wrong = new RegistryClient({
      baseUrl: AUTH_REGISTRY,
      credentials: { username: AUTH_USERNAME, password: "wrong-secret-value" },
    });
    const error = await resolveLockEntry(wrong, parseModelRef(`${repository}:1b`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(`as ${AUTH_USERNAME}`);
    expect((error as Error).message).not.toContain("wrong-secret-value");
    const anonymous = await resolveLockEntry(
      new RegistryClient({ baseUrl: AUTH_REGISTRY }),
      parseModelRef(`${repository}:1b`),
    ).catch((e: unknown) => e);
    expect((anonymous as Error).message).toMatch(/needs credentials/);
  });
});

describe("fetch", () => {
  it("downloads every blob by digest and writes the manifest byte for byte; a second run downloads nothing", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const root = makeProject({});
    const first = await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(PLAIN_REGISTRY) });
    expectStoreHoldsModel(root);
    expect(first.blobs.every((b) => b.status === "downloaded")).toBe(true);
    expect(first.bytesDownloaded).toBe([...seeded.blobs.values()].reduce((n, b) => n + b.length, 0));
    expect(readdirSync(storeLayout(root).partial)).toEqual([]);

    const second = await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(PLAIN_REGISTRY) });
    expect(second.blobs.every((b) => b.status === "present")).toBe(true);
    expect(second.bytesDownloaded).toBe(0);
  });

  it("retries 500s and resumes a download cut off mid-blob with a Range request", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { serverErrors: 2, cutAfterBytes: 1024 * 1024, cuts: 1 });
    try {
      const root = makeProject({});
      const report = await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(proxy.url), ...quiet });
      expectStoreHoldsModel(root);
      expect(report.blobs.filter((b) => b.status === "resumed")).toHaveLength(1);
      const ranges = proxy.requests.flatMap((r) => (r.range === undefined ? [] : [r.range]));
      expect(ranges).toHaveLength(1);
      expect(Number(/^bytes=(\d+)-$/.exec(ranges[0] as string)?.[1])).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("starts over when the server ignores Range, and still verifies", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { cutAfterBytes: 512 * 1024, cuts: 1, ignoreRange: true });
    try {
      const root = makeProject({});
      await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(proxy.url), ...quiet });
      expectStoreHoldsModel(root);
    } finally {
      await proxy.close();
    }
  });

  it("a stalled download times out and resumes instead of hanging", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { stalls: 1 });
    try {
      const root = makeProject({});
      await fetchModels({
        store: storeLayout(root),
        lock,
        clientFor: clientFor(proxy.url),
        ...quiet,
        idleTimeoutMs: 300,
      });
      expectStoreHoldsModel(root);
    } finally {
      await proxy.close();
    }
  });

  it("follows blob redirects to another origin without sending it the credentials", async () => {
    const client = new RegistryClient({
      baseUrl: AUTH_REGISTRY,
      credentials: { username: AUTH_USERNAME, password: AUTH_PASSWORD },
    });
    const repository = uniqueRepository("cdn/qwen3");
    const model = await seedOllamaModel(client, { repository, tag: "1b", weightBytes: 64 * 1024 });
    const cdn = await startFaultProxy(AUTH_REGISTRY);
    const registry = await startFaultProxy(AUTH_REGISTRY, { redirectBlobsTo: cdn.url });
    try {
      const credentials = { username: AUTH_USERNAME, password: AUTH_PASSWORD };
      const entry = await resolveLockEntry(
        new RegistryClient({ baseUrl: registry.url, credentials }),
        parseModelRef(`${repository}:1b`),
      );
      const root = makeProject({});
      // The "CDN" here is the same auth registry, so it answers 401: the download must fail there rather
      // than leak the registry's credentials to another origin.
      const error = await fetchModels({
        store: storeLayout(root),
        lock: { version: LOCK_VERSION, models: { x: entry } },
        clientFor: () => new RegistryClient({ baseUrl: registry.url, credentials, ...quiet }),
        attempts: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(cdn.requests.length).toBeGreaterThan(0);
      expect(cdn.requests.every((r) => r.authorization === undefined)).toBe(true);
      expect(registry.requests.some((r) => r.authorization !== undefined)).toBe(true);
      expect(existsSync(blobPath(storeLayout(root).models, [...model.blobs.keys()][0] as string))).toBe(false);
    } finally {
      await cdn.close();
      await registry.close();
    }
  });

  it("authenticates blob downloads on a registry that needs credentials", async () => {
    const credentials = { username: AUTH_USERNAME, password: AUTH_PASSWORD };
    const client = new RegistryClient({ baseUrl: AUTH_REGISTRY, credentials });
    const repository = uniqueRepository("private/qwen3");
    const model = await seedOllamaModel(client, { repository, tag: "1b", weightBytes: 256 * 1024 });
    const entry = await resolveLockEntry(client, parseModelRef(`${repository}:1b`));
    const root = makeProject({});
    await fetchModels({
      store: storeLayout(root),
      lock: { version: LOCK_VERSION, models: { x: entry } },
      clientFor: () => new RegistryClient({ baseUrl: AUTH_REGISTRY, credentials }),
    });
    for (const [digest, bytes] of model.blobs) {
      expect(readFileSync(blobPath(storeLayout(root).models, digest))).toEqual(Buffer.from(bytes));
    }
  });

  it("a body without a Content-Length (chunked) still downloads and verifies", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { chunked: true });
    try {
      const root = makeProject({});
      await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(proxy.url) });
      expectStoreHoldsModel(root);
    } finally {
      await proxy.close();
    }
  });

  it("follows blob redirects to an open CDN and stores verified blobs", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const cdn = await startFaultProxy(PLAIN_REGISTRY);
    const registry = await startFaultProxy(PLAIN_REGISTRY, { redirectBlobsTo: cdn.url });
    try {
      const root = makeProject({});
      await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(registry.url) });
      expectStoreHoldsModel(root);
      expect(cdn.requests.filter((r) => r.path.includes("/blobs/")).length).toBe(seeded.blobs.size);
    } finally {
      await cdn.close();
      await registry.close();
    }
  });

  it("a corrupted blob is a hard error naming it, and nothing unverified enters the store", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { corrupt: true });
    try {
      const root = makeProject({});
      const error = await fetchModels({
        store: storeLayout(root),
        lock,
        clientFor: clientFor(proxy.url),
        concurrency: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DigestMismatchError);
      expect((error as Error).message).toMatch(
        new RegExp(`blob sha256:[0-9a-f]{64} of .*${seeded.repository}.* is corrupt`),
      );
      const { models, partial } = storeLayout(root);
      expect(readdirSync(path.join(models, "blobs"))).toEqual([]);
      expect(readdirSync(partial)).toEqual([]);
      expect(existsSync(path.join(models, "manifests"))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("a blob in the store that does not match its digest is replaced", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const root = makeProject({});
    await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(PLAIN_REGISTRY) });
    const [digest] = [...seeded.blobs.keys()];
    const file = blobPath(storeLayout(root).models, digest as string);
    writeFileSync(file, "tampered");
    const report = await fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(PLAIN_REGISTRY) });
    expect(report.blobs.find((b) => b.digest === digest)?.status).toBe("downloaded");
    expect(statSync(file).size).toBe(seeded.blobs.get(digest as string)?.length);
  });
});

describe("hostile registries and shared stores", () => {
  const blobRequests = (proxy: { requests: { method: string; path: string }[] }, digest: string) =>
    proxy.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/blobs/${digest}`)).length;
  const weights = () =>
    [...seeded.blobs.entries()].sort(([, a], [, b]) => b.length - a.length)[0] as [string, Uint8Array];

  it("two fetches into one store, from a registry that ignores Range: one downloads, the other waits; the blob is right", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { ignoreRange: true, delayChunksMs: 20 });
    try {
      const root = makeProject({});
      const fetch = () => fetchModels({ store: storeLayout(root), lock, clientFor: clientFor(proxy.url), ...quiet });
      const [first, second] = await Promise.all([fetch(), fetch()]);
      const [digest, bytes] = weights();
      expect(readFileSync(blobPath(storeLayout(root).models, digest))).toEqual(Buffer.from(bytes));
      expect(blobRequests(proxy, digest)).toBe(1);
      const statuses = [first, second].map((r) => r.blobs.find((b) => b.digest === digest)?.status).sort();
      expect(statuses).toEqual(["downloaded", "present"]);
      expect(readdirSync(storeLayout(root).partial)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ["a longer body than the lock's size", { padBlobs: 4096 }, /announced "\d+" bytes where \d+ are due/],
    ["a longer body without a Content-Length", { padBlobs: 4096, chunked: true }, /sent more than the \d+ bytes due/],
    ["a negative Content-Length", { blobContentLength: "-5" }, /announced "-5" bytes where \d+ are due/],
    ["a Content-Length that is not a number", { blobContentLength: "lots" }, /announced "lots" bytes/],
  ])("%s is refused before it is written: nothing goes into the store", async (_, faults, message) => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, faults);
    try {
      const root = makeProject({});
      const error = await fetchModels({
        store: storeLayout(root),
        lock,
        clientFor: clientFor(proxy.url),
        ...quiet,
        attempts: 1,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(message);
      const [digest] = weights();
      expect(existsSync(blobPath(storeLayout(root).models, digest))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("a trickle that never goes idle ends at the blob's deadline (its size at the slowest rate allowed)", async () => {
    const lock = await lockFor(PLAIN_REGISTRY);
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { trickleMs: 5 });
    try {
      const root = makeProject({});
      const error = await fetchModels({
        store: storeLayout(root),
        lock,
        clientFor: clientFor(proxy.url),
        ...quiet,
        attempts: 1,
        idleTimeoutMs: 1000,
        minBytesPerSecond: 10 * 1024 * 1024,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/not done after \d+ s \(too slow\)/);
    } finally {
      await proxy.close();
    }
  });

  it("a manifest of megabytes is refused while it is read, not held in memory", async () => {
    const proxy = await startFaultProxy(PLAIN_REGISTRY, { padManifests: 8 * 1024 * 1024 });
    try {
      const error = await resolveLockEntry(
        new RegistryClient({ baseUrl: proxy.url, ...quiet }),
        parseModelRef(ref),
      ).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/the response passed the 4194304 bytes allowed/);
    } finally {
      await proxy.close();
    }
  });
});
