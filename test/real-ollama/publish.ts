/**
 * Publishes a generated lookup model the way a model reaches registry.ollama.ai: the real `ollama create` from
 * the GGUF and its Modelfile, then the real `ollama push --insecure` to a local registry as
 * `127.0.0.1:5000/library/<name>:<tag>`. It runs inside the test image of that Ollama version, so the paths
 * Ollama writes into the manifest (`/root/.ollama/...`) are the same on every machine and so is the digest.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProcess } from "../../src/io/exec.js";
import type { Behaviour } from "./behaviour.js";
import { buildLookupModel } from "./lookup-model.js";
import { NEWEST_OLLAMA, ollamaImage } from "./versions.js";

/** POSIX sh in the image: the server on a port the kernel picks (read from its log), then create, cp, push. */
const PUBLISH_SCRIPT = `set -eu
OLLAMA_HOST=127.0.0.1:0 ollama serve >/tmp/serve.log 2>&1 &
port=""
tries=0
until [ -n "$port" ]; do
  port=$(sed -n 's/.*Listening on 127\\.0\\.0\\.1:\\([0-9][0-9]*\\).*/\\1/p' /tmp/serve.log)
  tries=$((tries + 1))
  if [ "$tries" -ge 300 ]; then cat /tmp/serve.log >&2; exit 90; fi
  sleep 0.1
done
export OLLAMA_HOST="127.0.0.1:$port"
until ollama list >/dev/null 2>&1; do sleep 0.1; done
ollama create "$1" -f /lookup/Modelfile
ollama cp "$1" "$2"
ollama push --insecure "$2"
`;

export interface PublishedModel {
  /** As a Modelfile names it with the registry as the mirror of registry.ollama.ai: `theo-lookup:1`. */
  name: string;
  /** Where it was pushed: `127.0.0.1:5000/library/theo-lookup:1`. */
  reference: string;
}

export async function publishLookupModel(
  behaviour: Behaviour,
  options: { registry: string; tag: string; version?: string },
): Promise<PublishedModel> {
  const model = buildLookupModel(behaviour);
  const dir = mkdtempSync(path.join(tmpdir(), "ollama-build-lookup-"));
  try {
    writeFileSync(path.join(dir, "model.gguf"), model.gguf);
    writeFileSync(path.join(dir, "Modelfile"), model.modelfile("./model.gguf"));
    const name = `${behaviour.name}:${options.tag}`;
    const reference = `${options.registry}/library/${name}`;
    const result = await runProcess("docker", [
      "run",
      "--rm",
      "--network",
      "host",
      "--volume",
      `${dir}:/lookup:ro`,
      "--workdir",
      "/lookup",
      "--entrypoint",
      "/bin/sh",
      ollamaImage(options.version ?? NEWEST_OLLAMA),
      "-c",
      PUBLISH_SCRIPT,
      "publish",
      behaviour.name,
      reference,
    ]);
    if (result.exitCode !== 0) {
      throw new Error(`publishing ${reference} failed (exit ${result.exitCode}):\n${result.stderr.slice(-3000)}`);
    }
    return { name, reference };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
