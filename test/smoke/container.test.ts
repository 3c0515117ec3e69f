import { describe, expect, it } from "vitest";
import type { Runner } from "../../src/io/exec.js";
import { detectGpus, dockerRunArgv, gpuMemoryUsedMib, parsePublishedPort } from "../../src/smoke/container.js";

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

describe("the host's GPUs, from nvidia-smi", () => {
  const runner =
    (stdout: string, exitCode = 0, missing = false): Runner =>
    async (file, args) => {
      if (missing) throw new Error(`could not run ${file}: ENOENT`);
      expect(file).toBe("nvidia-smi");
      expect(args[0]).toMatch(/^--query-gpu=/);
      return { exitCode, stdout: Buffer.from(stdout), stderr: "" };
    };

  it.each([
    ["two GPUs", runner("NVIDIA GeForce RTX 3060\nNVIDIA L4\n"), { names: ["NVIDIA GeForce RTX 3060", "NVIDIA L4"] }],
    ["no driver (nvidia-smi fails)", runner("", 9), undefined],
    ["no nvidia-smi at all", runner("", 0, true), undefined],
    ["nvidia-smi lists nothing", runner("\n"), undefined],
  ])("%s", async (_, run, expected) => {
    expect(await detectGpus(run)).toEqual(expected);
  });

  it("adds up the memory in use over every GPU", async () => {
    expect(await gpuMemoryUsedMib(runner("3012\n1024\n"))).toBe(4036);
    expect(await gpuMemoryUsedMib(runner("", 9))).toBeUndefined();
  });
});
