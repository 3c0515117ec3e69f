/**
 * Builds the stand-in Ollama image: the node base image (test/services) plus the stand-in `ollama`
 * (test/standin/ollama.ts, bundled), laid out like the real image: /bin/ollama, OLLAMA_HOST=0.0.0.0:11434,
 * ENTRYPOINT ["/bin/ollama"], CMD ["serve"]; and the smoke's reply script (test/smoke/standin-script.json, when it
 * exists) at /etc/ollama-standin/script.json, the stand-in's default script. Rebuilt only when one of them changes.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runChecked, runProcess } from "../../src/io/exec.js";
import { BAKED_SCRIPT_PATH } from "../standin/ollama-script.js";
import { NODE_BASE_IMAGE } from "./services.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const IMAGE = "ollama-build-test/ollama-standin";
const SMOKE_SCRIPT = path.join(repositoryRoot, "test/smoke/standin-script.json");

let building: Promise<string> | undefined;

export function standinImage(): Promise<string> {
  building ??= build();
  return building;
}

async function build(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "ollama-standin-"));
  try {
    await runChecked(runProcess, path.join(repositoryRoot, "node_modules/.bin/ncc"), [
      "build",
      path.join(repositoryRoot, "test/standin/ollama.ts"),
      "-o",
      path.join(dir, "bundle"),
      "--quiet",
    ]);
    const bundle = readFileSync(path.join(dir, "bundle/index.js"));
    const script = existsSync(SMOKE_SCRIPT) ? readFileSync(SMOKE_SCRIPT) : undefined;
    const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
    const contents = [bundle, ...(script === undefined ? [] : [script])].map(sha256).join("\n");
    const tag = `${IMAGE}:${sha256(contents).slice(0, 12)}`;
    const known = await runProcess("docker", ["image", "inspect", "--format", "{{.Id}}", tag]);
    if (known.exitCode === 0) return tag;
    if (script !== undefined) copyFileSync(SMOKE_SCRIPT, path.join(dir, "script.json"));
    writeFileSync(path.join(dir, "ollama"), '#!/bin/sh\nexec node /opt/ollama-standin/index.js "$@"\n', {
      mode: 0o755,
    });
    writeFileSync(
      path.join(dir, "Dockerfile"),
      [
        `FROM ${NODE_BASE_IMAGE}`,
        "COPY bundle/ /opt/ollama-standin/",
        "COPY ollama /bin/ollama",
        ...(script === undefined ? [] : [`COPY script.json ${BAKED_SCRIPT_PATH}`]),
        "ENV OLLAMA_HOST=0.0.0.0:11434 HOME=/root",
        "EXPOSE 11434",
        'ENTRYPOINT ["/bin/ollama"]',
        'CMD ["serve"]',
        "",
      ].join("\n"),
    );
    await runChecked(runProcess, "docker", ["buildx", "build", "--load", "--tag", tag, "--provenance=false", dir]);
    return tag;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
