/**
 * The README's first command, `ollama-build all`, on a project with no registry named: built into the local
 * Docker engine (nothing pushed), smoked there with the shipped cases, and reported to the terminal and files;
 * then `ollama-build report` renders the comment from the saved reports.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/io/exec.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { copyShippedCases, spawnCli } from "../helpers.js";
import { makeBuildProject } from "./build-project.js";
import { PLAIN_REGISTRY, requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const cli = spawnCli;

let ollamaImage: string;
beforeAll(async () => {
  await requireRegistry();
  ollamaImage = await standinImage();
}, 180_000);

describe("ollama-build all (CLI)", () => {
  it("builds into the local engine, smokes there, and writes the report; report re-renders it", async () => {
    const project = await makeBuildProject(ollamaImage, {
      modelfiles: (ns) => ({
        "modelfiles/theo-voice-agent.modelfile": `FROM ${ns}/qwen3:4b\nSYSTEM """Você é a Theo."""\n`,
        "modelfiles/theo-classifier.modelfile": `FROM ${ns}/functiongemma:270m\nSYSTEM Classifique.\n`,
      }),
    });
    // No `image:`: the default, ollama-build/<folder>, names no registry.
    writeFileSync(
      path.join(project.root, "ollama-build.yml"),
      `ollama-image: ${ollamaImage}\nollama-registry: ${PLAIN_REGISTRY}\n`,
    );
    copyShippedCases(project.root);

    // A first run: nothing is pinned yet, so `all` pins the base models and says to commit the lock.
    rmSync(path.join(project.root, "ollama.lock"));
    const result = await cli(project.root, "all", "--repeat", "1", "--gpus", "none");
    const pinned = /^pinned (.+) in ollama\.lock: commit it/m.exec(result.stderr)?.[1]?.split(", ");
    expect(pinned?.map((ref) => ref.replace(/^.*\//, "")).sort()).toEqual(["functiongemma:270m", "qwen3:4b"]);
    expect(existsSync(path.join(project.root, "ollama.lock"))).toBe(true);
    expect(result.stderr).not.toMatch(/push/i);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("smoke passed");
    expect(result.stdout).toContain("report: ollama-build-report.md (markdown), ollama-build-report.json (JSON)");
    const report = JSON.parse(readFileSync(path.join(project.root, "ollama-build-report.json"), "utf8")) as SmokeReport;
    expect(report.passed).toBe(true);
    expect(report.environment.image).toMatch(
      new RegExp(`^ollama-build/${path.basename(project.root).toLowerCase()}:m-[0-9a-f]{12}$`),
    );
    const local = await runProcess("docker", ["image", "inspect", report.environment.image as string]);
    expect(local.exitCode).toBe(0);
    const markdown = readFileSync(path.join(project.root, "ollama-build-report.md"), "utf8");
    expect(markdown.startsWith("<!-- ollama-build report: ollama-build -->")).toBe(true);
    expect(markdown).toContain("no baseline given (--baseline FILE)");

    const rendered = await cli(
      project.root,
      "report",
      "--report",
      "ollama-build-report.json",
      "--baseline",
      "ollama-build-report.json",
    );
    expect(rendered.exitCode).toBe(0);
    expect(rendered.stdout).toMatch(
      /Not paired: compared with the smoke report of the base commit, measured on .+ on \d{4}-\d{2}-\d{2}\./,
    );
    expect(rendered.stdout).toContain("`theo-voice-agent`");
    const json = await cli(project.root, "report", "--report", "ollama-build-report.json", "--format", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: true });
  });

  it("report names what it needs and what it cannot read", async () => {
    const missing = await cli(repositoryRoot, "report");
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("report needs --report FILE");
    const unreadable = await cli(repositoryRoot, "report", "--report", "no-such.json");
    expect(unreadable.exitCode).toBe(1);
    expect(unreadable.stderr).toContain("--report no-such.json: no such file");
    expect(existsSync(path.join(repositoryRoot, "ollama-build-report.md"))).toBe(false);
  });
});
