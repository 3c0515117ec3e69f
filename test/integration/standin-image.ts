/**
 * Builds the stand-in Ollama image: the node base image (test/services) plus the stand-in `ollama`
 * (test/standin/ollama.ts, bundled), laid out like the real image: /bin/ollama, OLLAMA_HOST=0.0.0.0:11434,
 * ENTRYPOINT ["/bin/ollama"], CMD ["serve"]. Rebuilt only when the bundle changes.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runChecked, runProcess } from "../../src/exec.js";
import { NODE_BASE_IMAGE } from "./services.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const IMAGE = "ollama-build-test/ollama-standin";

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
    const tag = `${IMAGE}:${createHash("sha256").update(bundle).digest("hex").slice(0, 12)}`;
    const known = await runProcess("docker", ["image", "inspect", "--format", "{{.Id}}", tag]);
    if (known.exitCode === 0) return tag;
    writeFileSync(path.join(dir, "ollama"), '#!/bin/sh\nexec node /opt/ollama-standin/index.js "$@"\n', {
      mode: 0o755,
    });
    writeFileSync(
      path.join(dir, "Dockerfile"),
      [
        `FROM ${NODE_BASE_IMAGE}`,
        "COPY bundle/ /opt/ollama-standin/",
        "COPY ollama /bin/ollama",
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
