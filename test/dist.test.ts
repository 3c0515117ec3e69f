/**
 * The committed bundles, as GitHub and `npx ollama-build` run them. Every other test runs the source; these
 * check that dist/ starts, finds its files (the entrypoint script, the lazily loaded chunks) and does a command
 * end to end. `.ci/run` rebuilds dist/ before the tests, so they never test stale code.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { runAction } from "./action/runner.js";
import { CLI_BUNDLE, makeProject } from "./helpers.js";

const repositoryRoot = path.resolve(import.meta.dirname, "..");
const bundle = (cwd: string, ...args: string[]) =>
  execa(process.execPath, [CLI_BUNDLE, ...args], { cwd, reject: false, env: { GITHUB_ACTIONS: "" } });

describe("dist/", () => {
  it("`npx ollama-build` runs the bundled CLI right after npm ci", async () => {
    const result = await execa("npx", ["--no-install", "ollama-build", "--version"], {
      cwd: repositoryRoot,
      reject: false,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")).version,
    );
  });

  it("the CLI bundle lints and plans the repository's own Modelfiles", async () => {
    const lint = await bundle(repositoryRoot, "lint");
    expect(lint).toMatchObject({ exitCode: 0, stdout: "0 errors, 0 warnings in 3 Modelfiles" });
    const plan = await bundle(repositoryRoot, "plan", "--format", "json");
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.stdout).imageTag).toMatch(/:m-[0-9a-f]{12}$/);
  });

  it("the CLI bundle prints a recipe whose runtime context is the entrypoint it ships", async () => {
    const root = makeProject({ "modelfiles/a.modelfile": "FROM ./weights.gguf\n", "modelfiles/weights.gguf": "GGUF" });
    const result = await bundle(root, "build", "--dry-run", "--image", "local/x");
    expect(result.exitCode).toBe(0);
    const entrypoint = readFileSync(path.join(repositoryRoot, "ollama/entrypoint.sh"));
    const sha = createHash("sha256").update(entrypoint).digest("hex");
    expect(result.stdout).toContain(`COPY --link --from=ollama-build-runtime-${sha.slice(0, 10)} / /`);
  });

  it("the action bundle runs a command and writes its outputs", async () => {
    const root = makeProject({
      "modelfiles/a.modelfile": "FROM ./weights.gguf\nPARAMETER bad 1\n",
      "modelfiles/weights.gguf": "GGUF",
    });
    const result = await runAction(root, { command: "lint" }, {}, {}, { bundle: true });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.errors).toBe("1");
    expect(result.stdout).toContain("::error title=unknown-parameter,file=modelfiles/a.modelfile,line=2,col=1::");
  });

  it("on Node.js 20 the CLI says it needs 22, in one line, before anything loads", async () => {
    const node20 = "/usr/bin/node";
    const version = await execa(node20, ["--version"], { reject: false });
    if (!/^v20\./.test(version.stdout)) return; // the machine's own Node is the old one this checks
    const result = await execa(node20, [CLI_BUNDLE, "lint"], { reject: false, cwd: makeProject({}) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`ollama-build needs Node.js 22 or newer; this is ${version.stdout}`);
  });
});
