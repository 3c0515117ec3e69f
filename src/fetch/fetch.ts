/**
 * Fetching locked base models into the store: every blob by digest, verified while it streams, written to a
 * partial file that is renamed into the store only when its sha256 matches. Interrupted downloads resume
 * with a Range request; transient failures are retried with backoff; downloads run in parallel. Here: what to
 * fetch, the store's locks, and each blob's attempts; one attempt's HTTP is blob-transfer.ts's.
 */

import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { writeFileAtomically } from "../io/files.js";
import { blobsOf, type Layer, type Lock, type LockEntry } from "../project/lockfile.js";
import { AuthenticationError, type RegistryClient } from "../registry/client.js";
import { formatBytes } from "../text/units.js";
import { downloadRest } from "./blob-transfer.js";
import { blobFileName, blobPath, manifestRelativePath, type StoreLayout } from "./store.js";

export class DigestMismatchError extends Error {
  constructor(
    readonly digest: string,
    actual: string,
    bytes: number,
    model: string,
  ) {
    super(`blob ${digest} of ${model} is corrupt: its ${bytes} bytes hash to ${actual}; it was not stored`);
    this.name = "DigestMismatchError";
  }
}

export interface FetchOptions {
  store: StoreLayout;
  lock: Lock;
  /** Canonical references to fetch; all of the lock when absent. */
  refs?: readonly string[];
  clientFor: (registryHost: string) => RegistryClient;
  concurrency?: number;
  /** Attempts per blob when a download breaks off (each attempt resumes). */
  attempts?: number;
  backoffMs?: number;
  /** Abort and resume a download that receives nothing for this long. */
  idleTimeoutMs?: number;
  /** The slowest rate a download may keep: each attempt gets the idle timeout plus its bytes at this rate. */
  minBytesPerSecond?: number;
  log?: (message: string) => void;
  progressIntervalMs?: number;
}

export type BlobStatus = "present" | "downloaded" | "resumed";

export interface FetchReport {
  blobs: { digest: string; size: number; status: BlobStatus }[];
  bytesDownloaded: number;
  milliseconds: number;
}

interface BlobJob {
  layer: Layer;
  entry: LockEntry;
  ref: string;
}

/** Hashes what is already on disk (a partial download, or a blob restored from a cache). */
async function hashFile(file: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

class Progress {
  private received = 0;
  private lastReport = Date.now();
  private readonly started = Date.now();
  constructor(
    private readonly total: number,
    private readonly log: (message: string) => void,
    private readonly intervalMs: number,
  ) {}

  add(bytes: number): void {
    this.received += bytes;
    if (Date.now() - this.lastReport >= this.intervalMs) this.report();
  }

  report(): void {
    this.lastReport = Date.now();
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const percent = this.total === 0 ? 100 : Math.floor((this.received / this.total) * 100);
    this.log(
      `fetch: ${formatBytes(this.received)} of ${formatBytes(this.total)} (${percent}%), ${formatBytes(this.received / seconds)}/s`,
    );
  }

  get bytes(): number {
    return this.received;
  }
}

/** The digest of a file's bytes as they are on disk now, and how many there are. */
async function digestOfFile(file: string): Promise<{ digest: string; bytes: number }> {
  const hash = createHash("sha256");
  const bytes = await hashFile(file, hash);
  return { digest: `sha256:${hash.digest("hex")}`, bytes };
}

/** Whether the store holds the blob, verified by hashing what is on disk; a wrong file is removed. */
async function presentAndVerified(target: string, layer: Layer, log: (message: string) => void): Promise<boolean> {
  if ((await sizeOf(target)) === undefined) return false;
  const found = await digestOfFile(target);
  if (found.digest === layer.digest && found.bytes === layer.size) return true;
  log(`fetch: ${target} does not match ${layer.digest}: removing it and downloading again`);
  await rm(target, { force: true });
  return false;
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Runs `work` holding the blob's lock file in the partial directory, so that two fetches into one store (two
 * processes, or two calls in one) never write the same partial file; the lock of a process that died is taken
 * over (its partial file is resumed). Returns undefined, without running `work`, when another fetch put the blob
 * into the store meanwhile.
 */
async function withBlobLock<T>(
  lockFile: string,
  isStored: () => Promise<boolean>,
  work: () => Promise<T>,
): Promise<T | undefined> {
  for (;;) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(lockFile, "utf8").catch(() => "")).trim());
      // A lock this process holds is another fetch of this process, which is alive by definition.
      if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || processAlive(owner))) {
        await sleep(200);
        if (await isStored()) return undefined;
      } else {
        await rm(lockFile, { force: true });
      }
      continue;
    }
    try {
      return await work();
    } finally {
      await rm(lockFile, { force: true });
    }
  }
}

async function downloadBlob(
  job: BlobJob,
  options: Required<Omit<FetchOptions, "refs">>,
  progress: Progress,
): Promise<BlobStatus> {
  const { layer } = job;
  const target = blobPath(options.store.models, layer.digest);
  if (await presentAndVerified(target, layer, options.log)) return "present";
  const lockFile = path.join(options.store.partial, `${blobFileName(layer.digest)}.lock`);
  const status = await withBlobLock(
    lockFile,
    async () => (await sizeOf(target)) !== undefined,
    async () =>
      (await presentAndVerified(target, layer, options.log))
        ? ("present" as const)
        : downloadLocked(job, options, progress),
  );
  return (
    status ??
    ((await presentAndVerified(target, layer, options.log)) ? "present" : downloadBlob(job, options, progress))
  );
}

/** The download itself, with the blob's lock held: resume, retry, verify, rename into the store. */
async function downloadLocked(
  job: BlobJob,
  options: Required<Omit<FetchOptions, "refs">>,
  progress: Progress,
): Promise<BlobStatus> {
  const { layer, entry, ref } = job;
  const target = blobPath(options.store.models, layer.digest);
  const partial = path.join(options.store.partial, blobFileName(layer.digest));
  const client = options.clientFor(entry.registry);
  let resumed = false;
  for (let attempt = 1; ; attempt++) {
    let hash = createHash("sha256");
    let have = (await sizeOf(partial)) ?? 0;
    if (have > layer.size) {
      await rm(partial);
      have = 0;
    }
    if (have > 0) {
      await hashFile(partial, hash);
      resumed = true;
    }
    try {
      if (have < layer.size) {
        // However slowly the bytes come (a byte every 59 s never trips the idle timeout), an attempt ends once
        // the rest of the blob should have arrived at the slowest rate allowed.
        const deadlineMs = Math.ceil(options.idleTimeoutMs + ((layer.size - have) / options.minBytesPerSecond) * 1000);
        const deadline = AbortSignal.timeout(deadlineMs);
        hash = await downloadRest({
          deadline,
          client,
          repository: entry.repository,
          layer,
          partial,
          from: have,
          hash,
          idleTimeoutMs: options.idleTimeoutMs,
          onBytes: (bytes) => progress.add(bytes),
        }).catch((error: unknown) => {
          throw deadline.aborted ? new Error(`not done after ${Math.round(deadlineMs / 1000)} s (too slow)`) : error;
        });
      }
      const size = (await sizeOf(partial)) ?? 0;
      const streamed = `sha256:${hash.digest("hex")}`;
      // What streamed past was right; what goes into the store is the file, so the file is hashed again.
      const onDisk = streamed === layer.digest && size === layer.size ? (await digestOfFile(partial)).digest : streamed;
      if (onDisk !== layer.digest || size !== layer.size) {
        await rm(partial, { force: true });
        throw new DigestMismatchError(layer.digest, onDisk, size, ref);
      }
      await rename(partial, target);
      return resumed ? "resumed" : "downloaded";
    } catch (error) {
      const final = error instanceof DigestMismatchError || error instanceof AuthenticationError;
      if (final || attempt >= options.attempts) throw error;
      const delay = options.backoffMs * 2 ** (attempt - 1);
      options.log(`fetch: ${layer.digest} of ${ref} broke off (${(error as Error).message}); resuming in ${delay} ms`);
      await sleep(delay);
    }
  }
}

async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

export async function fetchModels(options: FetchOptions): Promise<FetchReport> {
  const settings: Required<Omit<FetchOptions, "refs">> = {
    concurrency: 4,
    attempts: 5,
    backoffMs: 500,
    idleTimeoutMs: 60_000,
    minBytesPerSecond: 256 * 1024,
    log: () => {},
    progressIntervalMs: 5_000,
    ...options,
  };
  const started = Date.now();
  const refs = options.refs ?? Object.keys(options.lock.models);
  const jobs = new Map<string, BlobJob>();
  for (const ref of refs) {
    const entry = options.lock.models[ref];
    if (entry === undefined) throw new Error(`${ref} is not in ollama.lock: run \`ollama-build lock\``);
    for (const layer of blobsOf(entry)) if (!jobs.has(layer.digest)) jobs.set(layer.digest, { layer, entry, ref });
  }
  await mkdir(path.join(options.store.models, "blobs"), { recursive: true });
  await mkdir(options.store.partial, { recursive: true });

  const total = [...jobs.values()].reduce((sum, job) => sum + job.layer.size, 0);
  const progress = new Progress(total, settings.log, settings.progressIntervalMs);
  const blobs: FetchReport["blobs"] = [];
  await runPool([...jobs.values()], settings.concurrency, async (job) => {
    const status = await downloadBlob(job, settings, progress);
    blobs.push({ digest: job.layer.digest, size: job.layer.size, status });
  });

  // Manifests last: a model is in the store only once all its blobs are.
  for (const ref of refs) {
    const entry = options.lock.models[ref] as LockEntry;
    const file = path.join(options.store.models, manifestRelativePath(entry.registry, entry.repository, entry.tag));
    await writeFileAtomically(file, entry.manifest);
  }
  if (progress.bytes > 0) progress.report();
  return {
    blobs: blobs.sort((a, b) => (a.digest < b.digest ? -1 : 1)),
    bytesDownloaded: progress.bytes,
    milliseconds: Date.now() - started,
  };
}
