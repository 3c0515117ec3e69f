import { describe, expect, it } from "vitest";
import {
  buildCreateRequest,
  CreateRequestError,
  GoFloat32,
  GoInt64,
  typeParameter,
} from "../../src/modelfile/create-request.js";
import { parseModelfile } from "../../src/modelfile/parser.js";

describe("typing parameters (api.FormatParams)", () => {
  it.each([
    ["num_ctx", "4096", "4096"],
    ["main_gpu", "0", "0"],
    ["seed", "9007199254740993", "9007199254740993"],
    ["seed", "-9223372036854775808", "-9223372036854775808"],
    ["use_mmap", "false", "false"],
    ["temperature", "0.3", "0.3"],
    ["top_p", "0.123456789012", "0.12345679"],
    ["min_p", "-0", "-0"],
    ["stop", "<|im_end|>", '["<|im_end|>"]'],
  ])("%s %s is %s in the request", (name, value, json) => {
    const typed = typeParameter(name, value);
    expect(typed.status).toBe("ok");
    expect(JSON.stringify(typed.status === "ok" ? typed.value : undefined)).toBe(json);
  });

  it("keeps int64 and float32 values exactly", () => {
    expect(typeParameter("seed", "9007199254740993")).toStrictEqual({
      status: "ok",
      value: new GoInt64(9007199254740993n),
    });
    expect(typeParameter("top_p", "0.1")).toStrictEqual({ status: "ok", value: new GoFloat32(Math.fround(0.1)) });
  });

  it.each([
    ["num_ctx", "4k", { status: "error", reason: "invalid-value", message: "invalid int value [4k]" }],
    ["top_p", "high", { status: "error", reason: "invalid-value", message: "invalid float value [high]" }],
    ["use_mmap", "yes", { status: "error", reason: "invalid-value", message: "invalid bool value [yes]" }],
    ["top_p", "1e39", { status: "error", reason: "invalid-value", message: "invalid float value [1e39]" }],
    // ParseFloat accepts these, then Ollama's client cannot JSON-encode the request.
    ["temperature", "inf", { status: "error", reason: "invalid-value", message: "json: unsupported value: +Inf" }],
    ["temperature", "+Inf", { status: "error", reason: "invalid-value", message: "json: unsupported value: +Inf" }],
    [
      "temperature",
      "-Infinity",
      { status: "error", reason: "invalid-value", message: "json: unsupported value: -Inf" },
    ],
    ["temperature", "nan", { status: "error", reason: "invalid-value", message: "json: unsupported value: NaN" }],
    ["temperature", "NaN", { status: "error", reason: "invalid-value", message: "json: unsupported value: NaN" }],
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
    expect(JSON.parse(JSON.stringify(built.parameters))).toEqual({ stop: ["<|im_end|>", "x"], temperature: 0.2 });
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

  it("keeps only the last ADAPTER, and every DRAFT", () => {
    const { request: built } = request("FROM a\nADAPTER ./x\nDRAFT ./d1\nADAPTER ./y\nDRAFT ./d2\n");
    expect([built.adapter, built.drafts]).toEqual(["./y", ["./d1", "./d2"]]);
  });

  it("writes int64 and float32 parameters as Ollama's client encodes them", () => {
    const { request: built } = request(
      "FROM a\nPARAMETER seed 9007199254740993\nPARAMETER top_p 0.123456789012\nPARAMETER min_p -0\nPARAMETER num_ctx 8\n",
    );
    expect(JSON.stringify(built.parameters)).toBe(
      '{"seed":9007199254740993,"top_p":0.12345679,"min_p":-0,"num_ctx":8}',
    );
  });

  function requestError(text: string): CreateRequestError {
    try {
      request(text);
    } catch (error) {
      if (error instanceof CreateRequestError) return error;
      throw error;
    }
    throw new Error("expected a create request error");
  }

  it.each([
    ["an infinite float", "PARAMETER temperature inf\n", "json: unsupported value: +Inf", 2],
    ["-Infinity", "PARAMETER top_p -Infinity\n", "json: unsupported value: -Inf", 2],
    // encoding/json meets the parameters in key order: temperature before top_p.
    [
      "the first one in key order",
      "PARAMETER top_p inf\nPARAMETER temperature nan\n",
      "json: unsupported value: NaN",
      3,
    ],
    // Building the request fails first; encoding it comes after.
    ["a bad value later on", "PARAMETER temperature inf\nPARAMETER top_k x\n", "invalid int value [x]", 3],
  ])("fails on %s as Ollama's client does", (_, parameters, message, line) => {
    const error = requestError(`FROM a\n${parameters}`);
    expect([error.message, error.command.start.line]).toEqual([message, line]);
  });

  it("takes an infinite float that a later value replaces", () => {
    const { request: built } = request("FROM a\nPARAMETER temperature inf\nPARAMETER temperature 0.5\n");
    expect(JSON.stringify(built.parameters)).toBe('{"temperature":0.5}');
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
});
