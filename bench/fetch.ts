/**
 * `npm run bench:fetch`: fetchModels (sha256 verified while streaming, temp file, rename) against curl for
 * the same >= 512 MiB blob from the local registry, in the same run.
 *
 * The blob is random bytes behind a GGUF magic, written to a temp file and uploaded with a streamed
 * monolithic PUT (never held in memory), then wrapped in an Ollama-format manifest and locked. Then, three
 * times alternating: fetchModels into an empty store, and `curl -s -o FILE URL`. Medians reported.
 * Goal: fetch_mib_s >= 0.8 x curl_mib_s.
 */
import { createHash, randomFillSync } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { runChecked, runProcess } from "../src/exec.js";
import { fetchModels } from "../src/fetch/fetch.js";
import { blobPath, storeLayout } from "../src/fetch/store.js";
import { LOCK_VERSION, type Lock } from "../src/lock/lockfile.js";
import { OLLAMA_MANIFEST_MEDIA_TYPE, resolveLockEntry } from "../src/lock/resolve.js";
import { canonicalModelRef, parseModelRef } from "../src/project/model-ref.js";
import { RegistryClient } from "../src/registry/client.js";
import { requireRegistry } from "../test/integration/services.js";
import {
  bench,
  log,
  MiB,
  median,
  PLAIN_REGISTRY,
  registry,
  round,
  tempDir,
  timed,
  uniqueRepository,
} from "./common.js";

const BLOB_BYTES = 512 * MiB;
const RUNS = 3;
const RATIO_GOAL = 0.8;

const digestOf = (bytes: Uint8Array | string) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** Writes `size` random bytes (starting with "GGUF") to `file` in 4 MiB chunks; returns their digest. */
async function writeRandomFile(file: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(file, "w");
  try {
    const chunk = Buffer.alloc(4 * MiB);
    for (let written = 0; written < size; ) {
      const part = chunk.subarray(0, Math.min(chunk.length, size - written));
      randomFillSync(part);
      if (written === 0) part.write("GGUF");
      hash.update(part);
      await handle.write(part);
      written += part.length;
    }
  } finally {
    await handle.close();
  }
  return `sha256:${hash.digest("hex")}`;
}

/** A monolithic upload (POST, then PUT with the file streamed as the body) to the plain test registry. */
async function uploadFile(repository: string, digest: string, file: string): Promise<void> {
  const started = await fetch(`${PLAIN_REGISTRY}/v2/${repository}/blobs/uploads/`, { method: "POST" });
  await started.body?.cancel();
  if (started.status !== 202) throw new Error(`POST ${repository}/blobs/uploads/: HTTP ${started.status}`);
  const location = new URL(started.headers.get("location") ?? "", PLAIN_REGISTRY);
  location.searchParams.set("digest", digest);
  const body = Readable.toWeb(createReadStream(file, { highWaterMark: 4 * MiB })) as ReadableStream<Uint8Array>;
  const finished = await fetch(location, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body,
    duplex: "half",
  } as RequestInit);
  const text = await finished.text();
  if (finished.status !== 201) throw new Error(`PUT ${repository}/blobs/${digest}: HTTP ${finished.status} ${text}`);
}

/** Seeds an Ollama-format model whose weights are one `size`-byte blob; returns its lock and blob digest. */
async function seedBigModel(size: number): Promise<{ lock: Lock; repository: string; digest: string }> {
  const repository = `${uniqueRepository("bench-fetch")}/big`;
  const file = path.join(tempDir("blob"), "weights");
  log(`writing ${size / MiB} MiB of random weights to a temp file`);
  const digest = await writeRandomFile(file, size);
  log(`uploading ${digest} to ${PLAIN_REGISTRY}/v2/${repository} (streamed PUT)`);
  const upload = await timed(() => uploadFile(repository, digest, file));
  await rm(path.dirname(file), { recursive: true, force: true });
  if ((await registry.headBlob(repository, digest)) !== size) throw new Error("the registry does not hold the blob");
  log(`  ${upload.ms} ms`);

  const template = Buffer.from("{{ .Prompt }}");
  const config = Buffer.from(JSON.stringify({ model_format: "gguf", model_family: "big" }));
  await registry.putBlob(repository, digestOf(template), template);
  await registry.putBlob(repository, digestOf(config), config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OLLAMA_MANIFEST_MEDIA_TYPE,
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      digest: digestOf(config),
      size: config.length,
    },
    layers: [
      { mediaType: "application/vnd.ollama.image.model", digest, size },
      { mediaType: "application/vnd.ollama.image.template", digest: digestOf(template), size: template.length },
    ],
  });
  await registry.putManifest(repository, "512m", Buffer.from(manifest), OLLAMA_MANIFEST_MEDIA_TYPE);
  const ref = `${repository}:512m`;
  const entry = await resolveLockEntry(registry, parseModelRef(ref));
  return { lock: { version: LOCK_VERSION, models: { [canonicalModelRef(ref)]: entry } }, repository, digest };
}

await bench("bench:fetch", async () => {
  const missed: string[] = [];
  await requireRegistry();
  const { lock, repository, digest } = await seedBigModel(BLOB_BYTES);
  const url = `${PLAIN_REGISTRY}/v2/${repository}/blobs/${digest}`;
  const mibPerSecond = (ms: number) => BLOB_BYTES / MiB / (ms / 1000);

  const fetchRates: number[] = [];
  const curlRates: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const root = tempDir("store");
    const store = storeLayout(root);
    const fetched = await timed(() =>
      fetchModels({ store, lock, clientFor: () => new RegistryClient({ baseUrl: PLAIN_REGISTRY }) }),
    );
    if (fetched.value.blobs.some((b) => b.status !== "downloaded")) throw new Error("fetchModels did not download");
    if ((await stat(blobPath(store.models, digest))).size !== BLOB_BYTES) throw new Error("the fetched blob is short");
    await rm(root, { recursive: true, force: true });
    fetchRates.push(mibPerSecond(fetched.ms));
    log(`fetchModels ${i}: ${fetched.ms} ms, ${round(mibPerSecond(fetched.ms), 1)} MiB/s (sha256 verified)`);

    const dir = tempDir("curl");
    const target = path.join(dir, "blob");
    const curled = await timed(() => runChecked(runProcess, "curl", ["-s", "-f", "-o", target, url]));
    if ((await stat(target)).size !== BLOB_BYTES) throw new Error("curl's download is short");
    await rm(dir, { recursive: true, force: true });
    curlRates.push(mibPerSecond(curled.ms));
    log(`curl ${i}:        ${curled.ms} ms, ${round(mibPerSecond(curled.ms), 1)} MiB/s (not verified)`);
  }

  const fetchRate = median(fetchRates);
  const curlRate = median(curlRates);
  const ratio = fetchRate / curlRate;
  if (ratio < RATIO_GOAL) missed.push(`fetch/curl ratio ${round(ratio)} < ${RATIO_GOAL}`);
  return {
    figures: {
      fetch_mib_s: round(fetchRate, 1),
      curl_mib_s: round(curlRate, 1),
      ratio: round(ratio),
      blob_bytes: BLOB_BYTES,
      fetch_runs_mib_s: fetchRates.map((r) => round(r, 1)),
      curl_runs_mib_s: curlRates.map((r) => round(r, 1)),
    },
    missed,
  };
});
