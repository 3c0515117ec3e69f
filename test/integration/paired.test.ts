/**
 * The paired smoke through real Docker: the same Theo project built FROM the stand-in Ollama and FROM a copy of it
 * that answers 40 ms later (as an Ollama upgrade might), smoked side by side with `smoke --compare-image`, both
 * servers up and in blocks. The slower image must be called worse on TTFT, its cases must not be, and no
 * container may be left behind.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runChecked, runProcess } from "../../src/io/exec.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { makeProject, spawnCli } from "../helpers.js";
import { buildProject, makeBuildProject } from "./build-project.js";
import { requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
/** The shipped classifier cases, and a load profile (which runs on the head image only). */
const casesFile = () =>
  path.join(
    makeProject({
      "classifier.yaml": `${readFileSync(path.join(repositoryRoot, "test/smoke/theo-classifier.yaml"), "utf8")}
load:
  conversations: 4
  scripts:
    - id: classify
      turns: [{ user: Vocês abrem no sábado?, expect: { content: { equals: NENHUMA } } }]
`,
    }),
    "classifier.yaml",
  );

/** The stand-in answering `extraMs` later by default (its shipped script sets no TTFT of its own). */
async function slowerStandin(extraMs: number): Promise<string> {
  const base = await standinImage();
  const tag = `ollama-build-test/ollama-standin-slow:${base.split(":")[1]}-${extraMs}`;
  const dir = makeProject({ Dockerfile: `FROM ${base}\nENV OLLAMA_STANDIN_TTFT_MS=${20 + extraMs}\n` });
  await runChecked(runProcess, "docker", ["buildx", "build", "--load", "--tag", tag, "--provenance=false", dir]);
  return tag;
}

const models = (ns: string) => ({
  "modelfiles/theo-classifier.modelfile": `FROM ${ns}/functiongemma:270m\nPARAMETER num_ctx 2048\nSYSTEM Classifique.\n`,
});

let fast: string;
let slow: string;
beforeAll(async () => {
  await requireRegistry();
  const [fastProject, slowProject] = [
    await makeBuildProject(await standinImage(), { modelfiles: models }),
    await makeBuildProject(await slowerStandin(40), { modelfiles: models }),
  ];
  fast = (await buildProject(fastProject)).plan.imageTag;
  slow = (await buildProject(slowProject)).plan.imageTag;
}, 300_000);

const containersOf = async (pid: number | undefined) =>
  (
    await runChecked(runProcess, "docker", ["ps", "--all", "--quiet", "--filter", `name=ollama-build-smoke-${pid}-`])
  ).trim();

describe("smoke --compare-image", () => {
  it.each(["interleaved", "blocks"])(
    "%s: the 40 ms slower image is called worse on TTFT, its cases are not",
    async (mode) => {
      const dir = makeProject({});
      const child = spawnCli(
        dir,
        "smoke",
        "--image",
        slow,
        "--compare-image",
        fast,
        "--paired",
        mode,
        "--cases",
        casesFile(),
        "--gpus",
        "none",
        "--repeat",
        "4",
        "--report",
        "report.json",
      );
      const result = await child;
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as SmokeReport;
      const paired = report.paired;
      expect(paired).toMatchObject({ base_image: fast, mode, cases_tested: report.cases.length });
      const ttft = paired?.models["theo-classifier"]?.metrics.find((m) => m.metric === "ttft_ms");
      expect(ttft?.verdict).toBe("worse");
      // The interval covers the injected 40 ms with room for the stand-in's own jitter.
      expect(ttft?.lower).toBeGreaterThan(0);
      expect(paired?.cases.filter((c) => c.regression)).toEqual([]);
      expect(paired?.models["theo-classifier"]?.memory.base).toBeGreaterThan(0);
      expect(result.stdout).toMatch(
        /paired with .*:\n {2}theo-classifier ttft_ms: \+[\d.]+ ms \(\+[\d.]+ ms \.\. \+[\d.]+ ms, p [\d.e-]+\) worse/,
      );
      expect(result.stderr).toContain(`paired smoke of ${fast} (base) and ${slow} (head): ${mode}`);
      // Blocks boot three times (base, head, base); both servers up boot twice.
      expect(result.stderr.match(/^(base|head): booting /gm)?.length ?? 0).toBe(0);
      expect(result.stderr.match(/^booting /gm)).toHaveLength(mode === "blocks" ? 3 : 2);
      expect(report.load).toMatchObject({ passed: true, conversations: 4, concurrency_from: "image" });
      expect(result.stderr.match(/^load: classify /gm)).toHaveLength(4);
      expect(await containersOf(child.pid)).toBe("");
    },
  );

  it("a head that misses a budget fails, and its report carries the head server's last log lines", async () => {
    const dir = makeProject({});
    const child = spawnCli(
      dir,
      "smoke",
      "--image",
      slow,
      "--compare-image",
      fast,
      "--cases",
      casesFile(),
      "--gpus",
      "none",
      "--repeat",
      "2",
      "--budget",
      "ttft_ms=1",
      "--report",
      "report.json",
    );
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as SmokeReport;
    expect(report.failures).toContainEqual(
      expect.stringMatching(/^theo-classifier: ttft_ms p50 [\d.]+ ms > budget 1 ms/),
    );
    expect(report.paired?.base_image).toBe(fast);
    expect(report.logs?.some((line) => line.includes("/v1/chat/completions"))).toBe(true);
    expect(await containersOf(child.pid)).toBe("");
  });

  it("--compare-image with --endpoint is refused: two images are smoked, not a server", async () => {
    const result = await spawnCli(
      makeProject({}),
      "smoke",
      "--endpoint",
      "http://127.0.0.1:9",
      "--compare-image",
      fast,
      "--cases",
      casesFile(),
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--compare-image smokes two images");
  });
});
