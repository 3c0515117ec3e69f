/**
 * `command: smoke` through the action bundle against a running server (`endpoint`), the stand-in Ollama in
 * its own process answering the shipped Theo cases: outputs, the JSON report file, the job summary, and the
 * step's result when a budget is missed or an input is wrong.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmokeReport } from "../../src/smoke/types.js";
import { copyShippedCases, makeProject } from "../helpers.js";
import { type Standin, startStandin } from "../standin/spawn.js";
import { runAction } from "./runner.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

let server: Standin;
beforeAll(async () => {
  const script = JSON.parse(readFileSync(path.join(repositoryRoot, "test/smoke/standin-script.json"), "utf8"));
  server = await startStandin({ models: ["theo-voice-agent", "theo-classifier"], script });
}, 30_000);
afterAll(() => server?.stop());

function project(): string {
  const root = makeProject({ "modelfiles/theo-classifier.modelfile": "FROM functiongemma:270m\nSYSTEM Classifique\n" });
  copyShippedCases(root);
  return root;
}

describe("command: smoke with an endpoint", () => {
  it("runs the project's cases and sets the smoke outputs, report file and summary", async () => {
    const runnerTemp = makeProject({});
    const result = await runAction(
      project(),
      { command: "smoke", endpoint: server.url, repeat: "1" },
      {},
      { RUNNER_TEMP: runnerTemp },
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs["smoke-passed"]).toBe("true");
    expect(result.outputs["smoke-report"]).toBe(path.join(runnerTemp, "ollama-build", "smoke-report.json"));
    const report = JSON.parse(readFileSync(result.outputs["smoke-report"] as string, "utf8")) as SmokeReport;
    expect(JSON.parse(result.outputs.smoke as string)).toEqual(report);
    expect(report.cases).toHaveLength(20);
    expect(report.environment.endpoint).toBe(server.url);
    expect(result.summary).toContain("**✅ Passed**");
    expect(result.stdout).toContain("smoke passed");
  });

  it("a missed budget fails the step and says by how much", async () => {
    const result = await runAction(
      project(),
      {
        command: "smoke",
        endpoint: server.url,
        repeat: "1",
        cases: "test/smoke/theo-classifier.yaml",
        budgets: "e2e_ms=1",
      },
      {},
      { RUNNER_TEMP: makeProject({}) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.outputs["smoke-passed"]).toBe("false");
    expect(result.stdout).toMatch(
      /::error::smoke failed: theo-classifier: e2e_ms p50 [\d.]+ ms > budget 1 ms \(\+[\d.]+ ms\)/,
    );
    expect(result.summary).toContain("❌");
  });

  it.each([
    ["ttft=300", 'input \'budgets\' ("ttft=300"): "ttft=300" is not a budget'],
    ["ttft_ms=fast", 'input \'budgets\' ("ttft_ms=fast"): "ttft_ms=fast" is not a budget'],
  ])("budgets %j is refused before anything runs", async (budgets, message) => {
    const result = await runAction(
      project(),
      { command: "smoke", endpoint: server.url, budgets },
      {},
      { RUNNER_TEMP: makeProject({}) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
  });

  it("a case file with a mistake names the file and the case", async () => {
    const root = project();
    const result = await runAction(
      root,
      { command: "smoke", endpoint: server.url, cases: "test/smoke/theo-voice-agent.yaml\ntest/smoke/missing.yaml" },
      {},
      { RUNNER_TEMP: makeProject({}) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `::error::${path.join(root, "test/smoke/missing.yaml")}: no such case file or folder`,
    );
  });
});
