import { describe, expect, it } from "vitest";
import { buildCreateRequest, isValidSemver, typeParameter } from "../../src/modelfile/create-request.js";
import { parseGoBool, parseGoFloat32, parseGoInt64 } from "../../src/modelfile/go-strconv.js";
import { parseModelfile } from "../../src/modelfile/parser.js";

describe("Go's strconv, as Ollama types PARAMETER values", () => {
  it.each([
    ["42", 42n],
    ["-1", -1n],
    ["+150", 150n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["9223372036854775808", undefined],
    ["1_000", undefined],
    ["0x10", undefined],
    ["1.0", undefined],
    [" 1", undefined],
    ["", undefined],
  ])("ParseInt(%j, 10, 64)", (input, expected) => {
    expect(parseGoInt64(input)).toBe(expected);
  });

  it.each([
    ["0.5", 0.5],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["1E-2", 0.01],
    ["-2.5", -2.5],
    ["+1", 1],
    ["1_000.5", 1000.5],
    ["0x1p-2", 0.25],
    ["0x1.8p1", 3],
    ["inf", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["3.4e38", 3.4e38],
    ["1e39", undefined],
    ["_1", undefined],
    ["1_", undefined],
    ["1__0", undefined],
    ["0x1", undefined],
    ["0x", undefined],
    ["1e", undefined],
    ["1e+", undefined],
    [".", undefined],
    ["+nan", undefined],
    ["infin", undefined],
    ["0.5f", undefined],
    ["", undefined],
  ])("ParseFloat(%j, 32)", (input, expected) => {
    expect(parseGoFloat32(input)).toBe(expected);
  });

  it("ParseFloat accepts NaN", () => {
    expect(parseGoFloat32("NaN")).toBeNaN();
  });

  it.each([
    ["true", true],
    ["T", true],
    ["1", true],
    ["False", false],
    ["0", false],
    ["yes", undefined],
    ["TRUE ", undefined],
    ["tRUE", undefined],
  ])("ParseBool(%j)", (input, expected) => {
    expect(parseGoBool(input)).toBe(expected);
  });
});

describe("typing parameters (api.FormatParams)", () => {
  it.each([
    ["num_ctx", "4096", { status: "ok", value: 4096 }],
    ["main_gpu", "0", { status: "ok", value: 0 }],
    ["use_mmap", "false", { status: "ok", value: false }],
    ["temperature", "0.3", { status: "ok", value: 0.3 }],
    ["stop", "<|im_end|>", { status: "ok", value: ["<|im_end|>"] }],
    ["num_ctx", "4k", { status: "error", reason: "invalid-value", message: "invalid int value [4k]" }],
    ["top_p", "high", { status: "error", reason: "invalid-value", message: "invalid float value [high]" }],
    ["use_mmap", "yes", { status: "error", reason: "invalid-value", message: "invalid bool value [yes]" }],
    ["Temperature", "1", { status: "error", reason: "unknown", message: "unknown parameter 'Temperature'" }],
    ["tfs_z", "1", { status: "error", reason: "unknown", message: "unknown parameter 'tfs_z'" }],
    ["mirostat", "1", { status: "deprecated", warning: "warning: parameter mirostat is deprecated" }],
    ["toString", "1", { status: "error", reason: "unknown", message: "unknown parameter 'toString'" }],
  ])("%s %s", (name, value, expected) => {
    expect(typeParameter(name, value)).toEqual(expected);
  });
});

describe("the create request", () => {
  const request = (text: string) => buildCreateRequest(parseModelfile(text).commands);

  it("accumulates stop, keeps the last value of other parameters, and drops deprecated ones with a warning", () => {
    const { request: built, warnings } = request(
      'FROM a\nPARAMETER stop "<|im_end|>"\nPARAMETER temperature 0.1\nPARAMETER stop x\nPARAMETER temperature 0.2\nPARAMETER low_vram true\n',
    );
    expect(built.parameters).toEqual({ stop: ["<|im_end|>", "x"], temperature: 0.2 });
    expect(warnings).toEqual(["warning: parameter low_vram is deprecated"]);
  });

  it("collects messages, licenses and the last FROM", () => {
    const { request: built } = request(
      "FROM a\nFROM b\nLICENSE MIT\nLICENSE Apache\nMESSAGE user Oi\nMESSAGE assistant Olá: tudo\n",
    );
    expect(built.from).toBe("b");
    expect(built.license).toEqual(["MIT", "Apache"]);
    expect(built.messages).toEqual([
      { role: "user", content: "Oi" },
      { role: "assistant", content: "Olá: tudo" },
    ]);
  });

  it.each([
    ["0.14.0", "0.14.0"],
    ["v0.14.0", "0.14.0"],
    ["0.14", "0.14"],
    ["1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"],
  ])("REQUIRES %s", (given, stored) => {
    expect(request(`FROM a\nREQUIRES ${given}\n`).request.requires).toBe(stored);
  });

  it.each(["latest", "01.2.3", "1.2.3-01", "1.2-rc1", "vv1", "1.2.3.4"])("rejects REQUIRES %s", (given) => {
    expect(() => request(`FROM a\nREQUIRES ${given}\n`)).toThrow("requires must be a valid semver (e.g. 0.14.0)");
  });

  it("implements x/mod/semver validity", () => {
    expect(["v1", "v1.2", "v1.2.3", "v0.0.0-0.a-b"].every(isValidSemver)).toBe(true);
    expect(["1.2.3", "v1.2.3-", "v1.2.3+", "v1.02"].some(isValidSemver)).toBe(false);
  });
});
