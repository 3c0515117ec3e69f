/**
 * The smoke through real Docker: an image built by ollama-build FROM the stand-in Ollama (whose baked script
 * answers the shipped Theo cases), booted, smoked with test/smoke/*.yaml, and removed.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runChecked, runProcess } from "../../src/io/exec.js";
import { bootImage, ContainerError } from "../../src/smoke/container.js";
import { runSmokeStage } from "../../src/smoke/stage.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { makeProject, spawnCli } from "../helpers.js";
import { buildProject, makeBuildProject } from "./build-project.js";
import { NODE_BASE_IMAGE, requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const shippedCases = path.join(repositoryRoot, "test/smoke");

let imageTag: string;
beforeAll(async () => {
  await requireRegistry();
  const ollamaImage = await standinImage();
  const project = await makeBuildProject(ollamaImage, {
    modelfiles: (ns) => ({
      "modelfiles/theo-voice-agent.modelfile": `FROM ${ns}/qwen3:4b\nPARAMETER num_ctx 4096\nSYSTEM """Você é a Theo."""\n`,
      "modelfiles/theo-classifier.modelfile": `FROM ${ns}/functiongemma:270m\nPARAMETER num_ctx 2048\nSYSTEM Classifique.\n`,
    }),
  });
  imageTag = (await buildProject(project)).plan.imageTag;
}, 240_000);

/** Containers a smoke run by process `pid` left (their names carry it); other tests' runs are not this one's. */
const smokeContainers = async (pid: number | undefined = process.pid) =>
  (
    await runChecked(runProcess, "docker", ["ps", "--all", "--quiet", "--filter", `name=ollama-build-smoke-${pid}-`])
  ).trim();

describe("smoke --image", () => {
  it("boots the built image, runs every shipped case, measures, and removes the container", async () => {
    const lines: string[] = [];
    const report = await runSmokeStage(runProcess, {
      target: { image: imageTag },
      cases: [shippedCases],
      displayRoot: repositoryRoot,
      gpus: "none",
      repeat: 2,
      log: (line) => lines.push(line),
    });
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.environment).toMatchObject({ image: imageTag, gpu: false, ollama_version: "0.32.15" });
    expect(report.environment.server_ready_ms).toBeGreaterThan(0);
    expect(report.environment.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(report.models).sort()).toEqual(["theo-classifier", "theo-voice-agent"]);
    const agent = report.models["theo-voice-agent"];
    // Cold loads timed by the smoke itself (the stand-in takes OLLAMA_STANDIN_LOAD_MS, 50 ms by default).
    expect(agent?.load_ms).toBeGreaterThanOrEqual(40);
    expect(agent?.tool_accuracy_pct).toBe(100);
    expect(agent?.reasoning_runs).toBe(0);
    expect(agent?.metrics.ttft_ms?.n).toBeGreaterThanOrEqual(4);
    expect(agent?.metrics.t_tool_ms?.p50).toBeGreaterThan(0);
    expect(agent?.metrics.decode_tps?.p50).toBeGreaterThan(15);
    expect(agent?.memory).toMatchObject({ size_vram_bytes: 0, context_length: 4096 });
    expect(agent?.memory?.size_bytes).toBeGreaterThan(0);
    expect(report.models["theo-classifier"]?.memory?.context_length).toBe(2048);
    for (const testCase of report.cases) expect(testCase).toMatchObject({ runs: 2, passes: 2, flaky: false });
    expect(lines.some((line) => /server answered after \d+ ms/.test(line))).toBe(true);
    expect(await smokeContainers()).toBe("");
  });

  it("the CLI writes the JSON report, prints the figures, and exits 1 when a budget is missed", async () => {
    const dir = makeProject({});
    const child = spawnCli(
      dir,
      "smoke",
      "--image",
      imageTag,
      "--cases",
      path.join(shippedCases, "theo-classifier.yaml"),
      "--gpus",
      "none",
      "--repeat",
      "1",
      "--budget",
      "ttft_ms=1",
      "--report",
      "report.json",
    );
    const result = await child;
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as SmokeReport;
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([
      expect.stringMatching(/^theo-classifier: ttft_ms p50 [\d.]+ ms > budget 1 ms \(\+/),
    ]);
    expect(result.stdout).toContain("smoke FAILED");
    expect(result.stdout).toMatch(/ttft +p50\/p90 +[\d.]+\/[\d.]+ ms \(n=\d+\)/);
    // The report carries the container's last log lines when the smoke fails.
    expect(report.logs?.some((line) => line.includes("/v1/chat/completions"))).toBe(true);
    expect(await smokeContainers(child.pid)).toBe("");
  });

  it("runs the case files' load profile after the cases, as many at once as the image's OLLAMA_NUM_PARALLEL", async () => {
    // The baked script answers the tool's result (no department in it) with a plain "Certo.".
    const dir = makeProject({
      "load.yaml": `defaults: { model: theo-voice-agent, request: { temperature: 0, max_tokens: 50 } }
tools:
  - type: function
    function:
      name: transfer_call
      parameters: { type: object, properties: { department: { type: string } }, required: [department] }
cases:
  - id: greeting
    messages: [{ role: user, content: Bom dia }]
    expect: { no_tool_call: true }
load:
  conversations: 6
  scripts:
    - id: transfer
      turns:
        - user: Quero falar com o suporte
          expect: { tool_calls: [{ name: transfer_call, arguments: { department: suporte } }] }
          tool_result: '{"transferida": true}'
        - expect: { no_tool_call: true, content: { equals: Certo. } }
    - id: classify
      model: theo-classifier
      turns: [{ user: Vocês abrem no sábado?, expect: { content: { equals: NENHUMA } } }]
`,
    });
    const lines: string[] = [];
    const report = await runSmokeStage(runProcess, {
      target: { image: imageTag },
      cases: [path.join(dir, "load.yaml")],
      displayRoot: dir,
      gpus: "none",
      repeat: 1,
      log: (line) => lines.push(line),
    });
    expect(report.failures).toEqual([]);
    // The project's runtime default (num-parallel 2) is the image's ENV, which the load reads.
    expect(report.load).toMatchObject({
      passed: true,
      concurrency: 2,
      concurrency_from: "image",
      conversations: 6,
      conversations_passed: 6,
      resident: ["theo-voice-agent", "theo-classifier"],
      evictions: [],
    });
    expect(report.load?.models["theo-voice-agent"]).toMatchObject({ conversations: 3, requests: 6 });
    expect(report.load?.resident_memory?.size_bytes).toBeGreaterThan(0);
    const firstLoadLine = lines.findIndex((line) => line.startsWith("load: "));
    expect(firstLoadLine).toBeGreaterThan(lines.findIndex((line) => line.includes("greeting")));
    expect(await smokeContainers()).toBe("");
  });

  it("Ctrl-C while it runs removes the container and exits 130", async () => {
    const child = spawnCli(repositoryRoot, "smoke", "--image", imageTag, "--cases", shippedCases);
    let stderr = "";
    let interrupted = false;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && stderr.includes(": transfer-suporte 1/")) interrupted = child.kill("SIGINT");
    });
    const result = await child;
    expect(stderr).toContain("server answered after");
    expect(result.exitCode).toBe(130);
    expect(await smokeContainers(child.pid)).toBe("");
  });

  it("an image whose server never answers fails with its log lines, and leaves no container", async () => {
    const dir = makeProject({
      Dockerfile: `FROM ${NODE_BASE_IMAGE}\nENTRYPOINT ["/bin/sh", "-c", "echo cannot start: no GPU driver; exit 3"]\n`,
    });
    const tag = "ollama-build-test/broken-server:latest";
    await runChecked(runProcess, "docker", ["buildx", "build", "--load", "--tag", tag, "--provenance=false", dir]);
    const boot = bootImage(
      runProcess,
      { image: tag, name: `ollama-build-smoke-${process.pid}-broken-${Date.now()}`, gpus: false, env: [] },
      { readyTimeoutMs: 20_000 },
    );
    await expect(boot).rejects.toBeInstanceOf(ContainerError);
    await expect(boot).rejects.toThrow(
      /stopped \(exited, exit code 3\) before the server answered[\s\S]*cannot start: no GPU driver/,
    );
    expect(await smokeContainers()).toBe("");
  });
});
