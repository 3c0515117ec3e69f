import { describe, expect, it } from "vitest";
import { parseBudgetAssignments } from "../../src/commands/smoke.js";
import { dockerRunArgv, parsePublishedPort } from "../../src/smoke/container.js";

describe("docker run argv", () => {
  it.each([
    [
      "CPU",
      { image: "ghcr.io/theo/models:m-abc", name: "s1", gpus: false, env: [] as [string, string][] },
      ["run", "--detach", "--name", "s1", "--publish", "127.0.0.1::11434", "ghcr.io/theo/models:m-abc"],
    ],
    [
      "GPU and environment",
      { image: "img:1", name: "s2", gpus: true, env: [["OLLAMA_BUILD_WARMUP", ""]] as [string, string][] },
      [
        "run",
        "--detach",
        "--name",
        "s2",
        "--publish",
        "127.0.0.1::11434",
        "--gpus",
        "all",
        "--env",
        "OLLAMA_BUILD_WARMUP=",
        "img:1",
      ],
    ],
  ])("%s", (_, input, argv) => {
    expect(dockerRunArgv(input)).toEqual(argv);
  });

  it.each([
    ["127.0.0.1:49153\n", 49153],
    ["127.0.0.1:32768\n[::1]:32768\n", 32768],
  ])("reads the published port from %j", (output, port) => {
    expect(parsePublishedPort(output)).toBe(port);
  });

  it("names the output it cannot read", () => {
    expect(() => parsePublishedPort("")).toThrow(/could not read the published port/);
  });
});

describe("budget assignments (inputs and --budget)", () => {
  it("reads medians, percentiles and single numbers", () => {
    expect(
      parseBudgetAssignments(["ttft_ms=300", "ttft_ms.p90=800", " decode_tps = 15.5 ", "", "vram_mib=3000"], "x"),
    ).toEqual({ ttft_ms: { p50: 300, p90: 800 }, decode_tps: 15.5, vram_mib: 3000 });
  });

  it.each([
    ["ttft=300", /"ttft=300" is not a budget/],
    ["ttft_ms=fast", /is not a budget/],
    ["vram_mib.p90=1", /vram_mib takes a single number/],
  ])("rejects %j, naming the input", (line, message) => {
    expect(() => parseBudgetAssignments([line], "input 'budgets'")).toThrow(message);
    expect(() => parseBudgetAssignments([line], "input 'budgets'")).toThrow(/^input 'budgets': /);
  });
});
