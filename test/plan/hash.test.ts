import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, hashModels, imageHash } from "../../src/plan/hash.js";
import { loadProject } from "../../src/project/load.js";
import { WorkingTree } from "../../src/project/tree.js";
import { makeProject } from "../helpers.js";

const IMAGE = "ollama/ollama:0.32.15";

async function hashesOf(
  files: Record<string, string | Uint8Array>,
  inputs: { ollamaImage?: string; locked?: Map<string, string> } = {},
) {
  const root = makeProject(files);
  const project = await loadProject(new WorkingTree(root), { paths: ["modelfiles"] });
  return hashModels(project.models, {
    ollamaImage: inputs.ollamaImage ?? IMAGE,
    ...(inputs.locked === undefined ? {} : { lockedDigests: inputs.locked }),
  });
}

const AGENT = 'FROM qwen3:4b\nPARAMETER num_ctx 4096\nSYSTEM """Você é a Theo.\nSeja breve."""\nMESSAGE user Oi\n';
const base = {
  "modelfiles/agent.modelfile": AGENT,
  "modelfiles/classifier.modelfile": "FROM functiongemma:270m\nSYSTEM Classifique.\n",
  "modelfiles/agent-en.modelfile": "FROM agent\nSYSTEM Speak English.\n",
};

describe("model hashes", () => {
  it("follow the documented recipe exactly", async () => {
    const hashes = await hashesOf({ "modelfiles/m.modelfile": "FROM qwen3:4b\nSYSTEM hi\n" });
    const document =
      '{"commands":[["model","qwen3:4b"],["system","hi"]],"ollamaImage":"ollama/ollama:0.32.15",' +
      '"recipe":"ollama-build/model/v1","references":[["model","qwen3:4b",' +
      '{"digest":null,"library":"registry.ollama.ai/library/qwen3:4b"}]]}';
    expect(hashes.get("m")).toBe(createHash("sha256").update(document).digest("hex"));
  });

  it("do not change for comments, blank lines, keyword case, spacing or quoting", async () => {
    const before = await hashesOf(base);
    const after = await hashesOf({
      ...base,
      "modelfiles/agent.modelfile":
        '# Theo\n\nfrom   qwen3:4b\n# contexto\nparameter num_ctx    4096\nsystem """Você é a Theo.\nSeja breve."""\n\nmessage user "Oi"\n',
    });
    expect(after).toEqual(before);
  });

  it("are the same for LF, CRLF and CR checkouts", async () => {
    const lf = await hashesOf(base);
    const crlf = await hashesOf({ ...base, "modelfiles/agent.modelfile": AGENT.replaceAll("\n", "\r\n") });
    const cr = await hashesOf({ ...base, "modelfiles/agent.modelfile": AGENT.replaceAll("\n", "\r") });
    expect(crlf).toEqual(lf);
    expect(cr).toEqual(lf);
  });

  it("change for the edited model and its dependants only", async () => {
    const before = await hashesOf(base);
    const after = await hashesOf({
      ...base,
      "modelfiles/agent.modelfile": AGENT.replace("Seja breve.", "Seja muito breve."),
    });
    expect(after.get("agent")).not.toBe(before.get("agent"));
    expect(after.get("agent-en")).not.toBe(before.get("agent-en"));
    expect(after.get("classifier")).toBe(before.get("classifier"));
  });

  it("change with the bytes of a local file the model references", async () => {
    const files = { "modelfiles/local.modelfile": "FROM ./weights.gguf\nADAPTER ./lora.gguf\n" };
    const one = await hashesOf({ ...files, "modelfiles/weights.gguf": "GGUF1", "modelfiles/lora.gguf": "L" });
    const two = await hashesOf({ ...files, "modelfiles/weights.gguf": "GGUF2", "modelfiles/lora.gguf": "L" });
    expect(one.get("local")).toMatch(/^[0-9a-f]{64}$/);
    expect(two.get("local")).not.toBe(one.get("local"));
  });

  it("change with the locked base digest and with the Ollama image", async () => {
    const plain = await hashesOf(base);
    const locked = await hashesOf(base, {
      locked: new Map([["registry.ollama.ai/library/qwen3:4b", "sha256:aaaa"]]),
    });
    const otherImage = await hashesOf(base, { ollamaImage: "ollama/ollama:0.33.0" });
    expect(locked.get("agent")).not.toBe(plain.get("agent"));
    expect(locked.get("classifier")).toBe(plain.get("classifier"));
    for (const name of ["agent", "classifier", "agent-en"]) expect(otherImage.get(name)).not.toBe(plain.get(name));
  });

  it("are absent for models that cannot be built", async () => {
    const hashes = await hashesOf({
      "modelfiles/a.modelfile": "FROM b\n",
      "modelfiles/b.modelfile": "FROM a\n",
      "modelfiles/broken.modelfile": "FROM x\nPARAMETER /no_think\n",
      "modelfiles/escapes.modelfile": "FROM ../../outside.gguf\n",
      "modelfiles/ok.modelfile": "FROM qwen3:4b\n",
    });
    expect([...hashes.keys()]).toEqual(["ok"]);
  });
});

describe("canonical JSON and the image hash", () => {
  it("sorts keys at every depth and writes no white space", () => {
    expect(canonicalJson({ b: [{ z: 1, a: null }], a: "é" })).toBe('{"a":"é","b":[{"a":null,"z":1}]}');
  });

  it("the image hash depends on every model hash, the Ollama image, the environment and the entrypoint, not on order", () => {
    const runtime = { keepAlive: "24h", numParallel: 2, maxLoadedModels: 2, flashAttention: true, warmup: ["x", "y"] };
    const inputs = { ollamaImage: IMAGE, runtime, entrypoint: { bytes: new Uint8Array(), sha256: "e" } };
    const models = (...pairs: [string, string][]) => new Map(pairs);
    const a = imageHash(models(["x", "1"], ["y", "2"]), inputs);
    expect(imageHash(models(["y", "2"], ["x", "1"]), inputs)).toBe(a);
    expect(imageHash(models(["x", "1"], ["y", "3"]), inputs)).not.toBe(a);
    expect(imageHash(models(["x", "1"], ["y", "2"]), { ...inputs, ollamaImage: "ollama/ollama:0.33.0" })).not.toBe(a);
    expect(imageHash(models(["x", "1"], ["y", "2"]), { ...inputs, runtime: { ...runtime, keepAlive: "5m" } })).not.toBe(
      a,
    );
    // The warm-up order is part of the image's ENV, so of its content.
    expect(
      imageHash(models(["x", "1"], ["y", "2"]), { ...inputs, runtime: { ...runtime, warmup: ["y", "x"] } }),
    ).not.toBe(a);
    const entrypoint = { bytes: new Uint8Array(), sha256: "f" };
    expect(imageHash(models(["x", "1"], ["y", "2"]), { ...inputs, entrypoint })).not.toBe(a);
  });
});
