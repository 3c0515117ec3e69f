/**
 * Drives the real @actions/cache (in this process: it reads process.env at call time, so each test sets the
 * stand-in's environment and restores the previous one) against the GitHub cache stand-in.
 * @actions/core writes its log commands (`::warning::`, `::error::`) and info lines to process.stdout, which the
 * tests capture. The library's retry back-offs (3 s+ for Twirp, 5 s for downloads, 4 s/12 s in the Azure SDK)
 * are recorded and shortened, so a fault costs milliseconds here instead of up to half a minute.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as cache from "@actions/cache";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CacheService,
  type CacheServiceOptions,
  cacheVersion,
  startCacheService,
  TWIRP_PREFIX,
} from "./github-cache.js";

const ENV_KEYS = [
  "ACTIONS_CACHE_SERVICE_V2",
  "ACTIONS_RESULTS_URL",
  "ACTIONS_CACHE_URL",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_CACHE_MODE",
  "GITHUB_SERVER_URL",
  "GITHUB_WORKSPACE",
  "RUNNER_TEMP",
  "RUNNER_DEBUG",
  "CACHE_UPLOAD_CONCURRENCY",
  "CACHE_UPLOAD_CHUNK_SIZE",
  "SEGMENT_DOWNLOAD_TIMEOUT_MINS",
];

let savedEnv: Record<string, string | undefined> = {};
const cleanups: (() => void | Promise<void>)[] = [];
let stdout = "";
const realSetTimeout = globalThis.setTimeout;

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  globalThis.setTimeout = realSetTimeout;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** A started stand-in whose environment is in process.env, and a workspace (GITHUB_WORKSPACE) to cache from. */
async function setup(options?: CacheServiceOptions): Promise<{ service: CacheService; workspace: string }> {
  const service = await startCacheService(options);
  cleanups.push(() => service.close());
  const workspace = mkdtempSync(path.join(tmpdir(), "github-cache-test-"));
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
  Object.assign(process.env, service.env, { GITHUB_WORKSPACE: workspace });
  return { service, workspace };
}

/** Shortens the library's back-off sleeps (>= 2 s; progress timers are 1 s) and records what they asked for. */
function fastBackoff(): number[] {
  const asked: number[] = [];
  const fast = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (ms !== undefined && ms >= 2000) asked.push(ms);
    return realSetTimeout(fn, ms !== undefined && ms >= 2000 ? 1 : ms, ...args);
  };
  globalThis.setTimeout = fast as unknown as typeof setTimeout;
  return asked;
}

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full)] = readFileSync(full).toString("base64");
    }
  };
  walk(root);
  return out;
}

const lines = (prefix: string) =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
const warnings = () => lines("::warning::");
const errors = () => lines("::error::");
const twirpCalls = (service: CacheService) =>
  service.requests
    .filter((r) => r.startsWith(`POST ${TWIRP_PREFIX}`))
    .map((r) => r.slice(`POST ${TWIRP_PREFIX}`.length));

const MODEL_TREE = {
  "manifests/registry.ollama.ai/library/qwen3/0.6b": '{"schemaVersion":2}',
  "blobs/sha256-aaaa": randomBytes(4096),
  "blobs/sha256-bbbb": "template {{ .Prompt }}",
};

describe("@actions/cache v2 against the stand-in", () => {
  it("saves a tree and restores it with the exact key (a cache hit)", async () => {
    const { service, workspace } = await setup();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);
    const before = readTree(store);
    expect(cache.isFeatureAvailable()).toBe(true);

    const id = await cache.saveCache([store], "models-linux-abc");
    expect(id).toBe(1);
    expect(warnings()).toEqual([]);
    expect(twirpCalls(service)).toEqual(["CreateCacheEntry", "FinalizeCacheEntryUpload"]);
    // An archive under 128 MiB goes up as one Put Blob.
    expect(service.requests.filter((r) => r.startsWith("PUT "))).toHaveLength(1);
    const [entry] = service.entries();
    expect(entry).toMatchObject({ key: "models-linux-abc", version: cacheVersion([store]) });
    expect(entry?.size).toBeGreaterThan(0);

    rmSync(store, { recursive: true });
    const restored = await cache.restoreCache([store], "models-linux-abc", ["models-linux-"]);
    expect(restored).toBe("models-linux-abc");
    expect(lines("")).toContain("Cache hit for: models-linux-abc");
    expect(readTree(store)).toEqual(before);
    expect(service.requests.at(-1)).toMatch(/^GET \/devstoreaccount1\/actions-cache\//);
    expect(warnings()).toEqual([]);
  });

  it("restores through a restore-key prefix, newest entry first, and reports the matched key", async () => {
    const { service, workspace } = await setup();
    const store = path.join(workspace, "models");
    writeTree(store, { "which.txt": "old" });
    expect(await cache.saveCache([store], "models-linux-old")).toBeGreaterThan(0);
    writeTree(store, { "which.txt": "new" });
    expect(await cache.saveCache([store], "models-linux-new")).toBeGreaterThan(0);
    writeTree(store, { "which.txt": "other" });
    expect(await cache.saveCache([store], "models-macos-x")).toBeGreaterThan(0);
    expect(service.entries().map((e) => e.key)).toEqual(["models-linux-old", "models-linux-new", "models-macos-x"]);

    rmSync(store, { recursive: true });
    expect(await cache.restoreCache([store], "models-linux-zzz", ["models-nope-", "models-linux-"])).toBe(
      "models-linux-new",
    );
    expect(lines("")).toContain("Cache hit for restore-key: models-linux-new");
    expect(readFileSync(path.join(store, "which.txt"), "utf8")).toBe("new");

    // An exact match of a restore key wins over newer entries it is a prefix of.
    expect(await cache.restoreCache([store], "models-linux-zzz", ["models-linux-old"])).toBe("models-linux-old");
    expect(readFileSync(path.join(store, "which.txt"), "utf8")).toBe("old");
    // As GitHub documents, the primary key is itself tried as a prefix before the restore keys.
    expect(await cache.restoreCache([store], "models-macos", ["models-linux-"])).toBe("models-macos-x");
  });

  it("misses quietly: undefined, no download, no warning; the version (paths + compression) must match", async () => {
    const { service, workspace } = await setup();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);
    expect(await cache.restoreCache([store], "models-linux-abc", ["models-"])).toBeUndefined();
    expect(await cache.saveCache([store], "models-linux-abc")).toBe(1);

    // Same key, other paths: another version, so a miss.
    const other = path.join(workspace, "elsewhere");
    expect(await cache.restoreCache([other], "models-linux-abc", ["models-"])).toBeUndefined();
    expect(await cache.restoreCache([store, other], "models-linux-abc")).toBeUndefined();
    expect(service.requests.filter((r) => r.startsWith("GET "))).toEqual([]);
    expect(warnings()).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it("a second save of the same key: the service answers 409, saveCache returns -1 with an info line (no warning)", async () => {
    const { service, workspace } = await setup();
    const store = path.join(workspace, "models");
    writeTree(store, { "which.txt": "first" });
    expect(await cache.saveCache([store], "models-linux-abc")).toBe(1);
    writeTree(store, { "which.txt": "second" });
    stdout = "";

    expect(await cache.saveCache([store], "models-linux-abc")).toBe(-1);
    expect(lines("")).toContain(
      "Failed to save: Unable to reserve cache with key models-linux-abc, another job may be creating this cache.",
    );
    expect(stdout).toContain("(409) Conflict: cache entry with the same key, version, and scope already exists");
    expect(warnings()).toEqual([]);
    // The archive was compressed before the service was asked: a conflict still costs a full tar + zstd.
    expect(stdout.indexOf("[command]")).toBeLessThan(stdout.indexOf("Failed to save"));
    expect(twirpCalls(service)).toEqual(["CreateCacheEntry", "FinalizeCacheEntryUpload", "CreateCacheEntry"]);
    expect(service.entries()).toHaveLength(1);

    rmSync(store, { recursive: true });
    await cache.restoreCache([store], "models-linux-abc");
    expect(readFileSync(path.join(store, "which.txt"), "utf8")).toBe("first");
  });

  it("service unavailable: restoreCache warns and returns undefined, saveCache logs and returns -1, after 5 tries each", async () => {
    const { service, workspace } = await setup({ faults: { unavailable: true } });
    const backoffs = fastBackoff();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);

    await expect(cache.restoreCache([store], "models-linux-abc", ["models-"])).resolves.toBeUndefined();
    expect(warnings()).toEqual([
      "Failed to restore: Failed to GetCacheEntryDownloadURL: Failed to make request after 5 attempts: " +
        "Failed request: (503) Service Unavailable: service unavailable",
    ]);
    expect(twirpCalls(service)).toEqual(Array(5).fill("GetCacheEntryDownloadURL"));
    // What a real outage costs per call: 3 s, then 1.5x growing, randomised back-offs (about 25-35 s in all).
    expect(backoffs).toHaveLength(4);
    expect(backoffs[0]).toBe(3000);
    const total = backoffs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(3000 + 4500 + 6750 + 10125);
    expect(total).toBeLessThan(3000 + 6750 + 10125 + 15188);

    stdout = "";
    await expect(cache.saveCache([store], "models-linux-abc")).resolves.toBe(-1);
    // The outage is reported like a reservation conflict, at info level: no warning, no error.
    expect(lines("")).toContain(
      "Failed to save: Unable to reserve cache with key models-linux-abc, another job may be creating this cache.",
    );
    expect(warnings()).toEqual([]);
    expect(errors()).toEqual([]);
    expect(twirpCalls(service).slice(5)).toEqual(Array(5).fill("CreateCacheEntry"));
    expect(service.entries()).toEqual([]);
  });

  it("a transient upload failure is retried by the Azure SDK and the save succeeds", async () => {
    const { service, workspace } = await setup({ faults: { failUploads: 1 } });
    const backoffs = fastBackoff();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);

    expect(await cache.saveCache([store], "models-linux-abc")).toBe(1);
    expect(service.requests.filter((r) => r.startsWith("PUT "))).toHaveLength(2);
    expect(backoffs).toEqual([]); // the SDK's first retry is immediate
    expect(warnings()).toEqual([]);
    expect(service.entries()).toHaveLength(1);
  });

  it("a persistent upload failure: saveCache warns twice and returns -1; the reservation stays pending", async () => {
    const { service, workspace } = await setup({ faults: { failUploads: 4 } });
    const backoffs = fastBackoff();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);

    await expect(cache.saveCache([store], "models-linux-abc")).resolves.toBe(-1);
    expect(service.requests.filter((r) => r.startsWith("PUT "))).toHaveLength(4);
    expect(backoffs).toEqual([4000, 12000]);
    const warned = warnings();
    expect(warned).toHaveLength(2);
    expect(warned[0]).toMatch(/^uploadCacheArchiveSDK: internal error uploading cache archive: /);
    expect(warned[1]).toMatch(/^Failed to save: .*unable to receive requests/);
    expect(twirpCalls(service)).toEqual(["CreateCacheEntry"]); // never finalized
    expect(service.entries()).toEqual([]);
    expect(service.pending()).toEqual([{ key: "models-linux-abc", version: cacheVersion([store]) }]);

    rmSync(store, { recursive: true });
    expect(await cache.restoreCache([store], "models-linux-abc")).toBeUndefined();
  });

  it("download failures: one is retried after 5 s; two make restoreCache warn and return undefined", async () => {
    const { service, workspace } = await setup();
    const backoffs = fastBackoff();
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);
    const before = readTree(store);
    expect(await cache.saveCache([store], "models-linux-abc")).toBe(1);
    rmSync(store, { recursive: true });

    service.faults.failDownloads = 1;
    expect(await cache.restoreCache([store], "models-linux-abc")).toBe("models-linux-abc");
    expect(backoffs).toEqual([5000]);
    expect(readTree(store)).toEqual(before);
    expect(warnings()).toEqual([]);

    rmSync(store, { recursive: true });
    service.faults.failDownloads = 2;
    expect(await cache.restoreCache([store], "models-linux-abc")).toBeUndefined();
    expect(warnings()).toEqual(["Failed to restore: downloadCache failed: Cache service responded with 503"]);
    expect(() => statSync(store)).toThrow(); // nothing half-extracted
  });

  it("a missing ACTIONS_RUNTIME_TOKEN: restoreCache warns, but saveCache throws", async () => {
    const { workspace } = await setup();
    delete process.env.ACTIONS_RUNTIME_TOKEN;
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);
    expect(await cache.restoreCache([store], "models-linux-abc")).toBeUndefined();
    expect(warnings()).toEqual(["Failed to restore: Unable to get the ACTIONS_RUNTIME_TOKEN env variable"]);
    await expect(cache.saveCache([store], "models-linux-abc")).rejects.toThrow(
      "Unable to get the ACTIONS_RUNTIME_TOKEN env variable",
    );
  });

  it("slowMs delays every answer", async () => {
    const { workspace } = await setup({ faults: { slowMs: 150 } });
    const started = Date.now();
    expect(await cache.restoreCache([path.join(workspace, "models")], "models-linux-abc")).toBeUndefined();
    // At least one answer was delayed (a timer may fire a little early; no delay at all would be a few ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("an archive over 128 MiB is uploaded as staged blocks and a block list", { timeout: 60_000 }, async () => {
    const { service, workspace } = await setup();
    const store = path.join(workspace, "models");
    writeTree(store, { "blobs/sha256-big": randomBytes(129 * 1024 * 1024), "manifest.json": "{}" });
    const before = readTree(store);

    expect(await cache.saveCache([store], "models-big")).toBe(1);
    const puts = service.requests.filter((r) => r.startsWith("PUT "));
    // 64 MiB blocks (saveCache forces uploadChunkSize), then one commit.
    expect(puts.map((r) => r.replace(/blockid=[^&]+/, "blockid=ID").replace(/actions-cache\/[^?]+/, "B"))).toEqual([
      "PUT /devstoreaccount1/B?comp=block&blockid=ID",
      "PUT /devstoreaccount1/B?comp=block&blockid=ID",
      "PUT /devstoreaccount1/B?comp=block&blockid=ID",
      "PUT /devstoreaccount1/B?comp=blocklist",
    ]);
    expect(service.entries()[0]?.size).toBeGreaterThan(128 * 1024 * 1024);

    rmSync(store, { recursive: true });
    expect(await cache.restoreCache([store], "models-big")).toBe("models-big");
    expect(readTree(store)).toEqual(before);
  });
});

describe("@actions/cache v1 (the retired _apis/artifactcache protocol) against the stand-in", () => {
  it("saves, restores by restore-key, and refuses a second save of the same key", async () => {
    const { service, workspace } = await setup({ protocol: "v1" });
    const store = path.join(workspace, "models");
    writeTree(store, MODEL_TREE);
    const before = readTree(store);

    expect(await cache.saveCache([store], "models-linux-abc")).toBe(1);
    expect(service.requests.map((r) => r.replace(/\?.*/, ""))).toEqual([
      "POST /_apis/artifactcache/caches",
      "PATCH /_apis/artifactcache/caches/1",
      "POST /_apis/artifactcache/caches/1",
    ]);
    rmSync(store, { recursive: true });
    expect(await cache.restoreCache([store], "models-linux-zzz", ["models-linux-"])).toBe("models-linux-abc");
    expect(readTree(store)).toEqual(before);

    stdout = "";
    expect(await cache.saveCache([store], "models-linux-abc")).toBe(-1);
    expect(lines("")).toContain(
      "Failed to save: Unable to reserve cache with key models-linux-abc, another job may be creating this cache. " +
        `More details: Cache already exists. Scope: refs/heads/main, Key: models-linux-abc, Version: ${cacheVersion([store])}`,
    );
    expect(warnings()).toEqual([]);
  });
});

describe("the stand-in's own contract", () => {
  async function call(service: CacheService, method: string, body: unknown, token = service.env.ACTIONS_RUNTIME_TOKEN) {
    const res = await fetch(`${service.url}twirp/github.actions.results.api.v1.CacheService/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("makes an entry visible only after a finalize whose size matches the uploaded blob", async () => {
    const { service } = await setup();
    expect(service.env.ACTIONS_RESULTS_URL).toBe(service.url);
    expect(service.url.endsWith("/")).toBe(true);
    const entry = { key: "k-1", version: "v1" };

    const created = await call(service, "CreateCacheEntry", entry);
    expect(created.status).toBe(200);
    expect(created.body.ok).toBe(true);
    const uploadUrl = String(created.body.signed_upload_url);
    expect(uploadUrl.startsWith(service.url)).toBe(true);
    expect(await call(service, "GetCacheEntryDownloadURL", { ...entry, restore_keys: ["k-"] })).toEqual({
      status: 200,
      body: { ok: false, signed_download_url: "", matched_key: "" },
    });

    // Put Blob needs x-ms-blob-type and answers 201; a tampered signature is refused.
    const put = (url: string, headers: Record<string, string>) =>
      fetch(url, { method: "PUT", headers, body: "archive!" });
    expect((await put(uploadUrl, {})).status).toBe(400);
    expect((await put(uploadUrl.replace(/sig=[^&]+/, "sig=forged"), { "x-ms-blob-type": "BlockBlob" })).status).toBe(
      403,
    );
    expect((await put(uploadUrl, { "x-ms-blob-type": "BlockBlob" })).status).toBe(201);

    expect(await call(service, "FinalizeCacheEntryUpload", { ...entry, size_bytes: "3" })).toMatchObject({
      status: 200,
      body: { ok: false },
    });
    expect(service.entries()).toEqual([]);
    expect(await call(service, "FinalizeCacheEntryUpload", { ...entry, size_bytes: "8" })).toEqual({
      status: 200,
      body: { ok: true, entry_id: "1" },
    });
    expect(service.entries()).toEqual([{ key: "k-1", version: "v1", size: 8 }]);

    const found = await call(service, "GetCacheEntryDownloadURL", { key: "k-2", restore_keys: ["k-"], version: "v1" });
    expect(found.body).toMatchObject({ ok: true, matched_key: "k-1" });
    const downloadUrl = String(found.body.signed_download_url);
    expect(await (await fetch(downloadUrl)).text()).toBe("archive!");
    const ranged = await fetch(downloadUrl, { headers: { Range: "bytes=2-4" } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("chi");
    // The read URL cannot write, and a finalized entry takes no more writes.
    expect((await put(downloadUrl, { "x-ms-blob-type": "BlockBlob" })).status).toBe(403);
    expect((await put(uploadUrl, { "x-ms-blob-type": "BlockBlob" })).status).toBe(403);
  });

  it("answers Twirp errors with Twirp codes and statuses", async () => {
    const { service } = await setup();
    expect(await call(service, "CreateCacheEntry", { key: "k", version: "v" }, "wrong")).toEqual({
      status: 401,
      body: { code: "unauthenticated", msg: "invalid token" },
    });
    expect((await call(service, "CreateCacheEntry", { key: "k" })).body.code).toBe("invalid_argument");
    expect((await call(service, "FinalizeCacheEntryUpload", { key: "k", version: "v", size_bytes: "1" })).status).toBe(
      404,
    );
    expect((await call(service, "CreateCacheEntry", { key: "k", version: "v" })).status).toBe(200);
    expect(await call(service, "CreateCacheEntry", { key: "k", version: "v" })).toEqual({
      status: 409,
      body: { code: "already_exists", msg: "cache entry with the same key, version, and scope already exists" },
    });
    expect((await call(service, "CreateCacheEntry", { key: "k", version: "other" })).status).toBe(200);
    expect((await call(service, "NoSuchMethod", { key: "k", version: "v" })).body.code).toBe("bad_route");
    service.faults.unavailable = true;
    expect(await call(service, "GetCacheEntryDownloadURL", { key: "k", version: "v" })).toEqual({
      status: 503,
      body: { code: "unavailable", msg: "service unavailable" },
    });
  });

  it("removes its blobs and the library's RUNNER_TEMP leftovers on close", async () => {
    const service = await startCacheService();
    const runnerTemp = service.env.RUNNER_TEMP ?? "";
    expect(statSync(runnerTemp).isDirectory()).toBe(true);
    await service.close();
    expect(() => statSync(path.dirname(runnerTemp))).toThrow();
  });
});
