/**
 * Custom models are made by the real `ollama create`, inside the pinned Ollama image, with no network: the
 * server is started and polled in the same container, and every model is created in dependency order. The
 * container gets a scratch OLLAMA_MODELS holding the base models' manifests and hard links to their blobs
 * (Ollama touches base blobs' mtimes, so they cannot be read-only); afterwards exactly what `create` added
 * — each new manifest and the blobs no base model has — is collected. HOME is a throwaway directory inside
 * the container, so the key `ollama serve` generates never leaves it.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { blobFileName } from "../fetch/store.js";
import type { Runner } from "../io/exec.js";
import { OllamaManifestSchema } from "../project/lockfile.js";
import { linkOrCopy } from "./contexts.js";
import type { ModelFiles, StoreFile } from "./layers.js";

/** POSIX sh run in the Ollama image; model names and paths arrive as arguments, never inside the script. */
export const CREATE_SCRIPT = `set -u
ollama serve >/tmp/ollama-serve.log 2>&1 &
tries=0
until ollama list >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then echo "ollama-build: the server did not start" >&2; cat /tmp/ollama-serve.log >&2; exit 90; fi
  sleep 0.5
done
while [ "$#" -ge 2 ]; do
  echo "ollama-build: creating $1 from $2"
  if ! ollama create "$1" -f "$2" 2>/tmp/ollama-create.err; then
    cat /tmp/ollama-create.err >&2
    echo "ollama-build: failed: $1" >&2
    exit 91
  fi
  shift 2
done
`;

export interface CreateJob {
  name: string;
  /** The Modelfile's path relative to the project root. */
  file: string;
}

export interface CreateRun {
  ollamaImage: string;
  /** Absolute path of the scratch OLLAMA_MODELS directory. */
  scratch: string;
  projectRoot: string;
  jobs: readonly CreateJob[];
  /** `uid:gid` to run as, so the files `create` writes belong to the caller. */
  user: string;
}

const CONTAINER_MODELS = "/ollama-build/models";
const CONTAINER_PROJECT = "/ollama-build/project";

/** The `docker run` argv: no network, scratch store read-write, project read-only, nothing else shared. */
export function createArgv(run: CreateRun): string[] {
  return [
    "run",
    "--rm",
    "--network",
    "none",
    "--user",
    run.user,
    "--env",
    "OLLAMA_NOPRUNE=1",
    "--env",
    `OLLAMA_MODELS=${CONTAINER_MODELS}`,
    "--env",
    "OLLAMA_HOST=127.0.0.1:11434",
    "--env",
    "HOME=/tmp/ollama-build-home",
    "--volume",
    `${run.scratch}:${CONTAINER_MODELS}`,
    "--volume",
    `${run.projectRoot}:${CONTAINER_PROJECT}:ro`,
    "--workdir",
    CONTAINER_PROJECT,
    "--entrypoint",
    "/bin/sh",
    run.ollamaImage,
    "-c",
    CREATE_SCRIPT,
    "ollama-build-create",
    ...run.jobs.flatMap((job) => [job.name, `${CONTAINER_PROJECT}/${job.file}`]),
  ];
}

export class CreateError extends Error {}

/** Turns the container's output into an error naming the Modelfile and quoting Ollama. */
export function describeCreateFailure(jobs: readonly CreateJob[], exitCode: number, stderr: string): string {
  const failed = /ollama-build: failed: (.+)$/m.exec(stderr)?.[1];
  const job = jobs.find((j) => j.name === failed);
  const ollamaError = stderr
    .split("\n")
    .filter((line) => line.startsWith("Error:"))
    .at(-1)
    ?.slice("Error:".length)
    .trim();
  if (job !== undefined) {
    return `ollama create ${job.name} failed for ${job.file}: ${ollamaError ?? stderr.trim()}`;
  }
  return `ollama create could not run (exit ${exitCode}): ${stderr.trim().split("\n").slice(-20).join("\n")}`;
}

export async function prepareScratch(
  scratch: string,
  storeModels: string,
  bases: readonly ModelFiles[],
): Promise<void> {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(path.join(scratch, "blobs"), { recursive: true });
  for (const base of bases) {
    const manifest = path.join(scratch, base.manifest.path);
    await mkdir(path.dirname(manifest), { recursive: true });
    await copyFile(path.join(storeModels, base.manifest.path), manifest);
    for (const blob of base.blobs) {
      const target = path.join(scratch, blob.path);
      await rm(target, { force: true });
      await linkOrCopy(path.join(storeModels, blob.path), target);
    }
  }
}

/** Reads an Ollama manifest file and lists it with its blobs as store files. */
export async function modelFilesFromStore(
  models: string,
  manifestPath: string,
  name: string,
  kind: ModelFiles["kind"],
): Promise<ModelFiles> {
  const bytes = await readFile(path.join(models, manifestPath));
  const manifest = OllamaManifestSchema.parse(JSON.parse(bytes.toString("utf8")));
  const blobs: StoreFile[] = [manifest.config, ...manifest.layers].map((layer) => ({
    path: `blobs/${blobFileName(layer.digest)}`,
    size: layer.size,
  }));
  const unique = [...new Map(blobs.map((b) => [b.path, b])).values()];
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  return { name, kind, manifest: { path: manifestPath, size: bytes.length, digest }, blobs: unique };
}

export function customManifestPath(name: string): string {
  return `manifests/registry.ollama.ai/library/${name}/latest`;
}

export async function runCreate(runner: Runner, run: CreateRun): Promise<void> {
  if (run.jobs.length === 0) return;
  const result = await runner("docker", createArgv(run));
  if (result.exitCode !== 0) throw new CreateError(describeCreateFailure(run.jobs, result.exitCode, result.stderr));
}

/** Blob files in the scratch store that no base model brought: what `create` wrote. */
export async function newBlobs(scratch: string, bases: readonly ModelFiles[]): Promise<Set<string>> {
  const baseBlobs = new Set(bases.flatMap((b) => b.blobs.map((blob) => blob.path)));
  const all = await readdir(path.join(scratch, "blobs"));
  return new Set(all.map((name) => `blobs/${name}`).filter((p) => !baseBlobs.has(p)));
}
