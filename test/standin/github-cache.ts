/**
 * A stand-in for GitHub's Actions cache service, for tests that drive the real `@actions/cache` (v6) against it.
 * It honours the contract that library relies on (read from node_modules/@actions/cache/lib):
 *
 * Cache service v2 (what hosted runners use; selected by ACTIONS_CACHE_SERVICE_V2 being non-empty):
 *   Twirp JSON, POST {ACTIONS_RESULTS_URL}/twirp/github.actions.results.api.v1.CacheService/<Method>,
 *   `Authorization: Bearer ACTIONS_RUNTIME_TOKEN`, proto field names in both directions:
 *   - GetCacheEntryDownloadURL {key, restore_keys[], version} -> 200 {ok, signed_download_url, matched_key};
 *     a miss is 200 {ok: false}. Lookup: for `key`, then each restore key in order, an exact key match first,
 *     then the newest entry whose key starts with it (GitHub's documented order); `version` must be equal.
 *   - CreateCacheEntry {key, version} -> 200 {ok: true, signed_upload_url}; a key+version that exists (or is
 *     being uploaded) -> 409 {"code":"already_exists","msg":"cache entry with the same key, version, and scope
 *     already exists"}, as GitHub answers.
 *   - FinalizeCacheEntryUpload {key, version, size_bytes} -> 200 {ok: true, entry_id}; only then does the entry
 *     become visible. No reservation -> 404 not_found; a size that differs from the uploaded blob -> 200
 *     {ok: false, message}.
 *   Twirp errors are `{"code","msg"}` with Twirp's HTTP status (401 unauthenticated, 400 invalid_argument, ...).
 * Signed URLs point back here, path-style like Azurite (`/<account>/<container>/<blob>?sv&sr&sp&se&sig`), so the
 * Azure SDK accepts them and @actions/cache downloads with its plain HTTP client (the host is not
 * *.blob.core.windows.net). The blob endpoint speaks the Block Blob subset the SDK uses:
 *   - PUT (x-ms-blob-type: BlockBlob) single-shot upload -> 201 (archives up to 128 MiB)
 *   - PUT ?comp=block&blockid=B64 -> 201, PUT ?comp=blocklist (XML <BlockList><Latest>..) -> 201 (larger ones)
 *   - GET / HEAD, with `Range: bytes=a-b` -> 206; errors are Azure XML with x-ms-error-code.
 *   The signature is checked (sp=cw to write, sp=r to read); writes are accepted only while the entry is pending.
 * Cache service v1 (`_apis/artifactcache`, retired on github.com in 2025, still what GHES uses) is answered too:
 *   GET cache?keys=a,b&version=v -> 200 {cacheKey, archiveLocation, ...} | 204; GET caches?key= (debug listing);
 *   POST caches {key, version, cacheSize} -> 201 {cacheId} | 409; PATCH caches/:id (Content-Range) -> 204;
 *   POST caches/:id {size} -> 204 | 400 on a size mismatch. Pick it with `startCacheService({ protocol: "v1" })`.
 *
 * Faults (mutable at any time through `service.faults`): `unavailable` answers every request with 503;
 * `failUploads`/`failDownloads` make the next N blob writes (single PUT, block, block list, v1 PATCH) / archive
 * reads fail with 503 ServerBusy; `slowMs` delays every answer. Blobs live in a temp dir removed by close().
 * Not modelled: branch scopes (one scope for everything), the 10 GB eviction, expiry of pending reservations.
 *
 * The artifact service (github-artifacts.ts) lives at the same ACTIONS_RESULTS_URL on GitHub, with the same token
 * and the same kind of storage, so the HTTP plumbing (Twirp, blob storage, faults, request log) is
 * `startResultsServer` below, which both stand-ins are built on.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";

const CACHE_SERVICE = "github.actions.results.api.v1.CacheService";
export const TWIRP_PREFIX = `/twirp/${CACHE_SERVICE}/`;
const CACHE_CONTAINER = "actions-cache";
const STORAGE_ACCOUNT = "/devstoreaccount1/";
const SAS_VERSION = "2025-05-05";

export interface ResultsServerFaults {
  /** Every request (Twirp, v1 and blob) is answered 503. */
  unavailable?: boolean;
  /** The next N blob writes are answered 503 ServerBusy (the Azure SDK retries 503 up to 4 tries). */
  failUploads?: number;
  /** The next N blob downloads are answered 503 (@actions/cache tries twice, 5 s apart). */
  failDownloads?: number;
  /** Every answer is delayed this long. */
  slowMs?: number;
}

export type CacheServiceFaults = ResultsServerFaults;

export interface CacheServiceOptions {
  /** Which protocol `env` selects: "v2" (default, what github.com runners use) or the retired "v1". */
  protocol?: "v1" | "v2";
  token?: string;
  faults?: CacheServiceFaults;
}

export interface CacheEntryInfo {
  key: string;
  version: string;
  size: number;
}

export interface CacheService {
  /** Base URL, with the trailing slash the runner gives. */
  url: string;
  /** Environment for @actions/cache: service selection, URLs, token, and a RUNNER_TEMP that close() removes. */
  env: Record<string, string>;
  /** Finalized (visible) entries, oldest first. */
  entries(): CacheEntryInfo[];
  /** Reserved entries whose upload was never finalized. */
  pending(): { key: string; version: string }[];
  faults: CacheServiceFaults;
  /** Every request, as `METHOD /path?query` (SAS parameters left out), in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

interface Entry {
  id: number;
  seq: number;
  key: string;
  version: string;
  /** Committed when the entry is finalized. */
  blob: StoredBlob;
}

/** The version @actions/cache computes (utils.getCacheVersion, non-Windows): paths as given, compression, salt. */
export function cacheVersion(
  paths: string[],
  compressionMethod: "zstd-without-long" | "zstd" | "gzip" = "zstd-without-long",
) {
  return createHash("sha256")
    .update([...paths, compressionMethod, "1.0"].join("|"))
    .digest("hex");
}

export async function startCacheService(options: CacheServiceOptions = {}): Promise<CacheService> {
  const token = options.token ?? `standin-${randomBytes(8).toString("hex")}`;
  const faults: CacheServiceFaults = { ...options.faults };
  const entries: Entry[] = [];
  let nextId = 1;
  let seq = 0;
  const server = await startResultsServer({
    tempPrefix: "github-cache-standin-",
    authorizes: (bearer) => bearer === token,
    faults,
    twirp: { [CACHE_SERVICE]: twirp },
    routes: { "/_apis/artifactcache/": v1 },
  });
  const runnerTemp = path.join(server.root, "runner-temp");
  mkdirSync(runnerTemp);

  const find = (key: string, version: string) => entries.find((e) => e.key === key && e.version === version);
  function lookup(keys: string[], version: string): Entry | undefined {
    const visible = entries.filter((e) => e.blob.committed && e.version === version).sort((a, b) => b.seq - a.seq);
    for (const key of keys) {
      const hit = visible.find((e) => e.key === key) ?? visible.find((e) => e.key.startsWith(key));
      if (hit) return hit;
    }
    return undefined;
  }
  function reserve(key: string, version: string): Entry {
    const id = nextId++;
    const blob = server.createBlob(CACHE_CONTAINER, `${id}-${randomBytes(6).toString("hex")}`);
    const entry: Entry = { id, seq: seq++, key, version, blob };
    entries.push(entry);
    return entry;
  }

  // --- Twirp (v2) ------------------------------------------------------------------------------------------
  async function twirp(method: string, body: Record<string, unknown>): Promise<unknown> {
    const key = typeof body.key === "string" ? body.key : "";
    const version = typeof body.version === "string" ? body.version : "";
    if (!key) throw twirpError("invalid_argument", "key is required");
    if (!version) throw twirpError("invalid_argument", "version is required");
    switch (method) {
      case "GetCacheEntryDownloadURL": {
        const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
        const hit = lookup([key, ...restoreKeys], version);
        if (!hit) return { ok: false, signed_download_url: "", matched_key: "" };
        return { ok: true, signed_download_url: server.signedUrl(hit.blob, "r"), matched_key: hit.key };
      }
      case "CreateCacheEntry": {
        if (find(key, version)) {
          throw twirpError("already_exists", "cache entry with the same key, version, and scope already exists");
        }
        return { ok: true, signed_upload_url: server.signedUrl(reserve(key, version).blob, "cw") };
      }
      case "FinalizeCacheEntryUpload": {
        const entry = find(key, version);
        if (!entry || entry.blob.committed) throw twirpError("not_found", "cache entry not found");
        const sizeBytes = Number(body.size_bytes ?? 0);
        const actual = entry.blob.size ?? 0;
        if (sizeBytes !== actual) {
          return { ok: false, entry_id: "0", message: `uploaded size ${actual} does not match ${sizeBytes}` };
        }
        entry.blob.committed = true;
        return { ok: true, entry_id: String(entry.id) };
      }
      default:
        throw twirpError("bad_route", `no handler for path "${TWIRP_PREFIX}${method}"`);
    }
  }

  // --- v1 (_apis/artifactcache) -------------------------------------------------------------------------------
  async function v1(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<void> {
    const json = (status: number, value: unknown) => send(res, status, JSON.stringify(value), "application/json");
    const v1Error = (status: number, message: string, typeName: string) =>
      json(status, {
        $id: "1",
        innerException: null,
        message,
        typeName,
        typeKey: typeName.split(".").pop(),
        errorCode: 0,
      });
    const describe = (e: Entry) => ({
      scope: "refs/heads/main",
      cacheKey: e.key,
      cacheVersion: e.version,
      creationTime: e.blob.createdAt.toISOString(),
      archiveLocation: server.signedUrl(e.blob, "r"),
    });
    if (req.method === "GET" && rest === "cache") {
      const keys = (url.searchParams.get("keys") ?? "").split(",").filter(Boolean);
      const hit = lookup(keys, url.searchParams.get("version") ?? "");
      return hit ? json(200, describe(hit)) : send(res, 204, "");
    }
    if (req.method === "GET" && rest === "caches") {
      const key = url.searchParams.get("key") ?? "";
      const list = entries.filter((e) => e.blob.committed && e.key === key).map(describe);
      return json(200, { totalCount: list.length, artifactCaches: list });
    }
    if (req.method === "POST" && rest === "caches") {
      const body = JSON.parse((await readBody(req)).toString() || "{}") as Record<string, unknown>;
      const key = String(body.key ?? "");
      const version = String(body.version ?? "");
      if (!key || !version) return v1Error(400, "key and version are required", "System.ArgumentException");
      if (find(key, version)) {
        return v1Error(
          409,
          `Cache already exists. Scope: refs/heads/main, Key: ${key}, Version: ${version}`,
          "GitHub.Services.ArtifactCache.WebApi.ArtifactCacheAlreadyExistsException, GitHub.Services.ArtifactCache.WebApi",
        );
      }
      const entry = reserve(key, version);
      await open(entry.blob.file, "w").then((f) => f.close());
      return json(201, { cacheId: entry.id });
    }
    const idMatch = /^caches\/(\d+)$/.exec(rest);
    const entry = idMatch ? entries.find((e) => e.id === Number(idMatch[1])) : undefined;
    if (idMatch && req.method === "PATCH") {
      const body = await readBody(req);
      if (!entry || entry.blob.committed) return v1Error(404, "Cache not found or already committed", "NotFound");
      if (takeFault(faults, "failUploads")) return send(res, 503, "");
      const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers["content-range"] ?? "");
      if (!range || Number(range[2]) - Number(range[1]) + 1 !== body.length) {
        return v1Error(400, "Content-Range does not match the body", "System.ArgumentException");
      }
      const file = await open(entry.blob.file, "r+");
      try {
        await file.write(body, 0, body.length, Number(range[1]));
      } finally {
        await file.close();
      }
      return send(res, 204, "");
    }
    if (idMatch && req.method === "POST") {
      const body = JSON.parse((await readBody(req)).toString() || "{}") as { size?: number };
      if (!entry || entry.blob.committed) return v1Error(404, "Cache not found or already committed", "NotFound");
      const actual = statSync(entry.blob.file).size;
      if (body.size !== actual) {
        return v1Error(
          400,
          `The cache size ${body.size} does not match the uploaded size ${actual}`,
          "System.ArgumentException",
        );
      }
      entry.blob.size = actual;
      entry.blob.committed = true;
      return send(res, 204, "");
    }
    return v1Error(404, `no route for ${req.method} ${url.pathname}`, "NotFound");
  }

  const env: Record<string, string> = {
    GITHUB_SERVER_URL: "https://github.com",
    ACTIONS_RUNTIME_TOKEN: token,
    RUNNER_TEMP: runnerTemp,
    ...(options.protocol === "v1"
      ? { ACTIONS_CACHE_URL: server.url }
      : { ACTIONS_CACHE_SERVICE_V2: "True", ACTIONS_RESULTS_URL: server.url }),
  };

  return {
    url: server.url,
    env,
    entries: () =>
      entries
        .filter((e) => e.blob.committed)
        .sort((a, b) => a.seq - b.seq)
        .map((e) => ({ key: e.key, version: e.version, size: e.blob.size ?? 0 })),
    pending: () => entries.filter((e) => !e.blob.committed).map((e) => ({ key: e.key, version: e.version })),
    faults,
    requests: server.requests,
    close: server.close,
  };
}

// --- Shared with the artifact stand-in: the results server and its blob storage ------------------------------

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  internal: 500,
  unavailable: 503,
};
export const twirpError = (code: string, msg: string) => new HttpError(TWIRP_STATUS[code] ?? 500, code, msg);

/** One Twirp service's methods: the decoded JSON request (proto field names) and the caller's bearer token in. */
export type TwirpService = (method: string, body: Record<string, unknown>, bearer: string) => Promise<unknown>;

/** A block blob: written through a signed write URL until its service commits it, then read-only. */
export interface StoredBlob {
  /** `/<account>/<container>/<name>`: what a SAS signature covers. */
  readonly pathname: string;
  readonly file: string;
  readonly createdAt: Date;
  readonly etag: string;
  /** Staged blocks (Put Block) by block id, each in a file of its own, until a block list commits them. */
  readonly blocks: Map<string, string>;
  /** Set by a single-shot upload or a block list. */
  size?: number;
  /** The x-ms-blob-content-type of that write; Azure answers it as Content-Type. */
  contentType?: string;
  /** Set by the owning service (finalize): from then on the blob can be read and no longer written. */
  committed: boolean;
}

export interface ResultsServerOptions {
  /** Names the temp dir (blobs and `root`). */
  tempPrefix: string;
  authorizes(bearer: string): boolean;
  faults: ResultsServerFaults;
  /** Twirp services by full name; a call to any other answers bad_route, as a Twirp server does. */
  twirp: Record<string, TwirpService>;
  /** Other APIs by path prefix, behind the same bearer token; the handler gets the path after the prefix. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL, rest: string) => Promise<void>>;
}

export interface ResultsServer {
  /** Base URL, with the trailing slash the runner gives. */
  url: string;
  /** Every request, as `METHOD /path?query` (SAS parameters left out), in arrival order. */
  requests: string[];
  /** A temp dir for the service's own files, removed by close(). */
  root: string;
  /** A new blob; `name` must be URL-safe (it may contain `/`). */
  createBlob(container: string, name: string): StoredBlob;
  /** A SAS URL: `cw` writes, `r` reads. */
  signedUrl(blob: StoredBlob, permissions: "cw" | "r"): string;
  /** The blob and its files are gone: its URLs answer 404 BlobNotFound. */
  deleteBlob(blob: StoredBlob): Promise<void>;
  close(): Promise<void>;
}

/**
 * GitHub's results service as the runner's libraries see it: Twirp JSON at `/twirp/<service>/<Method>` behind the
 * runtime token, and signed blob URLs served path-style from the same origin (see the header for the protocol).
 */
export async function startResultsServer(options: ResultsServerOptions): Promise<ResultsServer> {
  const root = mkdtempSync(path.join(tmpdir(), options.tempPrefix));
  const blobDir = path.join(root, "blobs");
  mkdirSync(blobDir);
  const secret = randomBytes(32);
  const { faults } = options;
  const requests: string[] = [];
  const blobs = new Map<string, StoredBlob>();
  let nextFile = 1;
  let base = "";

  const sign = (sp: string, se: string, pathname: string) =>
    createHmac("sha256", secret).update(`${sp}\n${se}\n${pathname}`).digest("base64");

  async function storage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const sp = q.get("sp") ?? "";
    const se = q.get("se") ?? "";
    const sig = q.get("sig") ?? "";
    const reading = req.method === "GET" || req.method === "HEAD";
    const signed = sig !== "" && sign(sp, se, url.pathname) === sig && Date.parse(se) > Date.now();
    if (!signed || !sp.includes(reading ? "r" : "w")) {
      await readBody(req);
      throw new HttpError(403, "AuthenticationFailed", "Server failed to authenticate the request.");
    }
    const blob = blobs.get(url.pathname);
    if (!blob) {
      await readBody(req);
      throw new HttpError(404, "BlobNotFound", "The specified blob does not exist.");
    }
    if (reading) return download(req, res, blob);

    if (req.method !== "PUT") throw new HttpError(405, "UnsupportedHttpVerb", "The resource doesn't support the verb.");
    if (blob.committed) {
      await readBody(req);
      throw new HttpError(403, "AuthorizationFailure", "The blob is committed and takes no more writes.");
    }
    const comp = q.get("comp");
    const length = Number(req.headers["content-length"] ?? Number.NaN);
    if (comp !== "blocklist" && !Number.isInteger(length)) {
      await readBody(req);
      throw new HttpError(411, "MissingContentLengthHeader", "Content-Length HTTP header is required.");
    }
    if (takeFault(faults, "failUploads")) {
      await readBody(req);
      throw new HttpError(503, "ServerBusy", "The server is currently unable to receive requests. Please retry.");
    }
    const contentTypeHeader = req.headers["x-ms-blob-content-type"];
    const contentType = typeof contentTypeHeader === "string" ? contentTypeHeader : undefined;
    if (comp === "block") {
      const blockId = q.get("blockid") ?? "";
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blockId) || Buffer.from(blockId, "base64").length > 64) {
        await readBody(req);
        throw new HttpError(400, "InvalidQueryParameterValue", "Value for one of the query parameters is not valid.");
      }
      const file = `${blob.file}.block-${createHash("sha1").update(blockId).digest("hex")}`;
      await receive(req, file, length);
      blob.blocks.set(blockId, file);
      return created(res);
    }
    if (comp === "blocklist") {
      const xml = (await readBody(req)).toString();
      const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2] ?? "");
      const files = ids.map((id) => blob.blocks.get(id));
      if (!/<BlockList>/.test(xml) || files.some((f) => f === undefined)) {
        throw new HttpError(400, "InvalidBlockList", "The specified block list is invalid.");
      }
      const out = createWriteStream(blob.file);
      for (const file of files as string[]) await pipeline(createReadStream(file), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await removeBlocks(blob);
      blob.size = statSync(blob.file).size;
      blob.contentType = contentType;
      return created(res);
    }
    if (comp) {
      await readBody(req);
      throw new HttpError(400, "InvalidQueryParameterValue", `comp=${comp} is not supported here.`);
    }
    if (req.headers["x-ms-blob-type"] !== "BlockBlob") {
      await readBody(req);
      throw new HttpError(
        400,
        "MissingRequiredHeader",
        "An HTTP header that's mandatory for this request is not specified.",
      );
    }
    await receive(req, blob.file, length);
    blob.size = length;
    blob.contentType = contentType;
    return created(res);
  }

  async function download(req: IncomingMessage, res: ServerResponse, blob: StoredBlob): Promise<void> {
    if (!blob.committed || blob.size === undefined) {
      throw new HttpError(404, "BlobNotFound", "The specified blob does not exist.");
    }
    if (req.method === "GET" && takeFault(faults, "failDownloads")) {
      throw new HttpError(503, "ServerBusy", "The server is currently unable to receive requests. Please retry.");
    }
    const size = blob.size;
    const headers: Record<string, string | number> = {
      "Content-Type": blob.contentType ?? "application/octet-stream",
      "Accept-Ranges": "bytes",
      "Last-Modified": blob.createdAt.toUTCString(),
      ETag: blob.etag,
      "x-ms-blob-type": "BlockBlob",
      "x-ms-version": SAS_VERSION,
      "x-ms-request-id": randomBytes(16).toString("hex"),
    };
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? req.headers["x-ms-range"] ?? ""));
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size)
        throw new HttpError(
          416,
          "InvalidRange",
          "The range specified is invalid for the current size of the resource.",
        );
      status = 206;
      headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
    }
    headers["Content-Length"] = size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (req.method === "HEAD" || size === 0) {
      res.end();
      return;
    }
    await pipeline(createReadStream(blob.file, { start, end }), res);
  }

  async function removeBlocks(blob: StoredBlob): Promise<void> {
    for (const file of blob.blocks.values()) await rm(file, { force: true });
    blob.blocks.clear();
  }

  async function twirp(req: IncomingMessage, url: URL): Promise<unknown> {
    const raw = await readBody(req);
    if (req.method !== "POST") throw twirpError("bad_route", `unsupported method ${req.method} (only POST is allowed)`);
    const bearer = bearerOf(req);
    if (!options.authorizes(bearer)) throw twirpError("unauthenticated", "invalid token");
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      throw twirpError("bad_route", `unexpected Content-Type: "${req.headers["content-type"] ?? ""}"`);
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString() || "{}") as Record<string, unknown>;
    } catch {
      throw twirpError("malformed", "the json request could not be decoded");
    }
    const [, service = "", method = ""] = /^\/twirp\/([^/]+)\/([^/]+)$/.exec(url.pathname) ?? [];
    const methods = Object.hasOwn(options.twirp, service) ? options.twirp[service] : undefined;
    if (!methods) throw twirpError("bad_route", `no handler for path "${url.pathname}"`);
    return methods(method, body, bearer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://standin");
    const shown = new URLSearchParams(
      [...url.searchParams].filter(([k]) => !["sv", "sr", "sp", "se", "sig"].includes(k)),
    );
    requests.push(`${req.method} ${url.pathname}${shown.size ? `?${shown}` : ""}`);
    if (faults.slowMs) await sleep(faults.slowMs);
    const isStorage = url.pathname.startsWith(STORAGE_ACCOUNT);
    const isTwirp = url.pathname.startsWith("/twirp/");
    try {
      if (faults.unavailable) {
        await readBody(req);
        if (isStorage) throw new HttpError(503, "ServerBusy", "The server is currently unable to receive requests.");
        if (isTwirp) throw twirpError("unavailable", "service unavailable");
        return send(res, 503, JSON.stringify({ message: "Service Unavailable" }), "application/json");
      }
      if (isStorage) return await storage(req, res, url);
      if (isTwirp) return send(res, 200, JSON.stringify(await twirp(req, url)), "application/json");
      const prefix = Object.keys(options.routes ?? {}).find((p) => url.pathname.startsWith(p));
      const route = prefix === undefined ? undefined : options.routes?.[prefix];
      if (prefix !== undefined && route) {
        if (!options.authorizes(bearerOf(req))) {
          await readBody(req);
          return send(res, 401, JSON.stringify({ message: "Unauthorized" }), "application/json");
        }
        return await route(req, res, url, url.pathname.slice(prefix.length));
      }
      await readBody(req);
      return send(res, 404, "Not Found", "text/plain");
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e = error instanceof HttpError ? error : new HttpError(500, "internal", String(error));
      if (isStorage) {
        const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`;
        res.setHeader("x-ms-error-code", e.code);
        return send(res, e.status, req.method === "HEAD" ? "" : xml, "application/xml");
      }
      return send(res, e.status, JSON.stringify({ code: e.code, msg: e.message }), "application/json");
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url: base,
    requests,
    root,
    createBlob(container, name) {
      const blob: StoredBlob = {
        pathname: `${STORAGE_ACCOUNT}${container}/${name}`,
        file: path.join(blobDir, String(nextFile++)),
        createdAt: new Date(),
        etag: `"0x${randomBytes(7).toString("hex").toUpperCase()}"`,
        blocks: new Map(),
        committed: false,
      };
      blobs.set(blob.pathname, blob);
      return blob;
    },
    signedUrl(blob, permissions) {
      const se = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
      const sig = sign(permissions, se, blob.pathname);
      const query = new URLSearchParams({ sv: SAS_VERSION, sr: "b", sp: permissions, se, sig });
      return `${base}${blob.pathname.slice(1)}?${query}`;
    },
    async deleteBlob(blob) {
      blobs.delete(blob.pathname);
      await removeBlocks(blob);
      await rm(blob.file, { force: true });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Whether a counted fault (`failUploads: 2`) applies to this request; it counts down. */
export function takeFault<K extends string>(faults: { [k in K]?: number }, name: K): boolean {
  const left = faults[name] ?? 0;
  if (left <= 0) return false;
  faults[name] = left - 1;
  return true;
}

function created(res: ServerResponse): void {
  res.writeHead(201, {
    "Content-Length": 0,
    ETag: `"0x${randomBytes(7).toString("hex").toUpperCase()}"`,
    "Last-Modified": new Date().toUTCString(),
    "x-ms-request-id": randomBytes(16).toString("hex"),
    "x-ms-version": SAS_VERSION,
    "x-ms-request-server-encrypted": "true",
  });
  res.end();
}

const bearerOf = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";

function send(res: ServerResponse, status: number, body: string, contentType?: string): void {
  const headers: Record<string, string | number> = { "Content-Length": Buffer.byteLength(body) };
  if (contentType) headers["Content-Type"] = contentType;
  res.writeHead(status, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Streams a request body to a file and checks it against Content-Length. */
async function receive(req: IncomingMessage, file: string, length: number): Promise<void> {
  await pipeline(req, createWriteStream(file));
  const got = statSync(file).size;
  if (got !== length) {
    await rm(file, { force: true });
    throw new HttpError(400, "InvalidInput", `Received ${got} bytes but Content-Length was ${length}.`);
  }
}
