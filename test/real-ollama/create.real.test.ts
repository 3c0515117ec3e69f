/**
 * Real Ollama as the oracle for `lint`: Ollama's own parser test inputs and generated Modelfiles go through the
 * real `ollama create` (the generated lookup model as their base) and through `lint` with that Ollama version;
 * the two must accept and refuse the same inputs, and for every accepted one the parameters the server stored
 * must equal our create request's typed parameters.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintProject } from "../../src/lint/rules.js";
import { buildCreateRequest, CreateRequestError } from "../../src/modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";
import { loadProject } from "../../src/project/load.js";
import { WorkingTree } from "../../src/project/tree.js";
import { theoBehaviour } from "./fixture.js";
import { buildLookupModel } from "./lookup-model.js";
import { type OllamaServer, startOllama } from "./server.js";
import { recordSummary } from "./summary.js";
import { OLLAMA_VERSIONS } from "./versions.js";

const upstream: { name: string; input: string; commands?: [string, string][] }[] = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../fixtures/upstream/ollama-parser-cases.json"), "utf8"),
);

/** The base model every input builds FROM (and the names Ollama's own test inputs use for theirs). */
const BASE = "lookup";
const UPSTREAM_BASES = [
  ...new Set(upstream.flatMap((c) => (c.commands ?? []).filter(([n]) => n === "model").map(([, a]) => a))),
];

interface Outcome {
  input: string;
  /** lint's errors, as `code: message`. */
  lint: string[];
  /** `ollama create`'s error, or undefined when it created the model. */
  ollama?: string;
  /** Accepted by both: where the stored parameters differ from ours. */
  parameters?: { ours: unknown; stored: unknown };
}

/** `lint` on one Modelfile of a project, for an Ollama version. */
async function lintOne(root: string, file: string, version: string): Promise<string[]> {
  const project = await loadProject(new WorkingTree(root), { paths: [file] });
  const [result] = lintProject(project, {
    clientApi: "native",
    lock: { status: "absent" },
    checkUnusedLockEntries: false,
    ollamaVersion: version,
  });
  return (result?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
}

/**
 * The params blob of a created model, as the server stored it ({} when it stored none), read as JSON: the
 * values as the stored text spells them (-0, float32 digits), which our request's JSON must spell the same.
 */
function storedParameters(server: OllamaServer, name: string): unknown {
  const models = path.join(server.dir, "models");
  const manifest = JSON.parse(
    readFileSync(path.join(models, "manifests/registry.ollama.ai/library", name, "latest"), "utf8"),
  ) as { layers: { mediaType: string; digest: string }[] };
  const params = manifest.layers.find((l) => l.mediaType === "application/vnd.ollama.image.params");
  if (params === undefined) return {};
  return JSON.parse(readFileSync(path.join(models, "blobs", params.digest.replace(":", "-")), "utf8"));
}

/** Our create request's parameters for a Modelfile that parses and builds, through their JSON. */
function ourParameters(input: string): unknown {
  try {
    return JSON.parse(JSON.stringify(buildCreateRequest(parseModelfile(input).commands).request.parameters ?? {}));
  } catch (error) {
    if (error instanceof ModelfileParseError || error instanceof CreateRequestError) return undefined;
    throw error;
  }
}

async function differential(server: OllamaServer, root: string, inputs: readonly string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [index, input] of inputs.entries()) {
    const name = `m${index}`;
    const file = `${name}.modelfile`;
    writeFileSync(path.join(root, file), input);
    const lint = await lintOne(root, file, server.version);
    const created = await server.cli(["create", name, "-f", file], { cwd: root });
    const outcome: Outcome = { input, lint };
    if (created.exitCode !== 0) {
      outcome.ollama =
        created.stderr
          .split("\n")
          .filter((l) => l.startsWith("Error:"))
          .at(-1) ?? created.stderr.trim();
    } else {
      const stored = storedParameters(server, name);
      const ours = ourParameters(input);
      if (!isDeepStrictEqual(ours, stored)) outcome.parameters = { ours, stored };
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

const disagreements = (outcomes: Outcome[]) =>
  outcomes.filter((o) => o.lint.length > 0 !== (o.ollama !== undefined) || o.parameters !== undefined);

/** Disagreements grouped by what each side said, with an example of each: what a failure shows. */
function summarise(found: Outcome[]): Record<string, { count: number; example: Outcome }> {
  const groups: Record<string, { count: number; example: Outcome }> = {};
  for (const outcome of found) {
    const lint = outcome.lint.map((l) => l.split(":")[0]).join(", ") || "lint accepts";
    const ollama = outcome.parameters !== undefined ? "parameters differ" : (outcome.ollama ?? "ollama create accepts");
    const key = `${lint} | ${ollama.replace(/\(line \d+\)/, "(line N)").slice(0, 100)}`;
    groups[key] ??= { count: 0, example: outcome };
    (groups[key] as { count: number }).count += 1;
  }
  return groups;
}

// ------------------------------------------------------------------------------------------ generated inputs

const INT_PARAMETERS = [
  "num_ctx",
  "num_batch",
  "num_gpu",
  "main_gpu",
  "num_thread",
  "num_keep",
  "seed",
  "num_predict",
  "top_k",
  "repeat_last_n",
];
const FLOAT_PARAMETERS = [
  "temperature",
  "top_p",
  "min_p",
  "typical_p",
  "repeat_penalty",
  "presence_penalty",
  "frequency_penalty",
];
const OTHER_PARAMETERS = [
  "use_mmap",
  "stop",
  "penalize_newline",
  "mirostat",
  "num_gqa",
  "Temperature",
  "numa",
  "low_vram",
];
/** Values Go parses as the parameter's type, and values it refuses (less often: one error hides the next). */
const INTEGERS = ["1", "0", "-1", "42", "4096", "+3", "-0", "007"];
const FLOATS = [...INTEGERS, "0.5", ".5", "5.", "1e3", "1E-2", "0x1p-2", "inf", "-Inf", "NaN", "1_000.5"];
const NOT_NUMBERS = ["0x10", "1_000", "1.5e400", "99999999999999999999", "abc", "1 2", "0b101", "1e", "--1"];
const value = (valid: readonly string[], invalid: readonly string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 8 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
const BOOLS = ["true", "false", "True", "FALSE", "t", "F", "1", "0"];
const NOT_BOOLS = ["yes", "tru", "2", ""];
const TEXTS = [
  "Você é a Theo.",
  "",
  "uma\nduas linhas",
  'com "aspas"',
  "com \\n barra",
  "  espaços  ",
  "#não é comentário",
  "{{ .System }}",
];
const VALID_TEMPLATES = [
  "{{ .System }} {{ .Prompt }}",
  "{{ if .System }}{{ .System }}{{ end }}{{ .Prompt }}",
  "{{- range .Messages }}{{ .Role }}: {{ .Content }}\n{{ end }}",
  "{{ range $i, $m := .Messages }}{{ $m.Content }}{{ end }}",
  "{{ json .Tools }}{{ .Prompt }}",
  "{{/* a comment */}}{{ .Prompt }}",
  '{{ .Prompt | printf "%s" }}',
  "{{ $x := 1 }}{{ $x }}",
  "{{ currentDate }}",
  "{{ range .Messages }}{{ else }}{{ end }}",
  "plain text, no actions",
  "{{ .Prompt }}}}",
];
const INVALID_TEMPLATES = [
  "{{ .System }",
  "{{ if .System }}x",
  "{{ end }}",
  "{{ nosuchfunc .Prompt }}",
  "{{ $y }}",
  "{{ yesterdayDate }}",
  "{{/* unclosed",
  '{{ "unterminated }}',
];
const ROLES = ["tool", "User", "bot", "system:"];

/**
 * One random instruction. Most are valid (one error in a file hides the others from Ollama, which stops at the
 * first), the rest are errors of every kind: a value of the wrong type, an unknown or misspelt parameter, a
 * template Go refuses, a bad role, an instruction the version does not know, a missing adapter.
 */
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 12 });
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 1 });
const instruction = fc.oneof(
  often(
    fc.tuple(fc.constantFrom(...INT_PARAMETERS), value(INTEGERS, NOT_NUMBERS)).map(([n, v]) => `PARAMETER ${n} ${v}`),
  ),
  often(
    fc.tuple(fc.constantFrom(...FLOAT_PARAMETERS), value(FLOATS, NOT_NUMBERS)).map(([n, v]) => `PARAMETER ${n} ${v}`),
  ),
  sometimes(fc.tuple(fc.constant("use_mmap"), value(BOOLS, NOT_BOOLS)).map(([n, v]) => `PARAMETER ${n} ${v || '""'}`)),
  often(fc.constantFrom(...TEXTS).map((v) => `PARAMETER stop """${v || "x"}"""`)),
  sometimes(
    fc
      .tuple(fc.constantFrom(...OTHER_PARAMETERS), fc.constantFrom(...TEXTS, ...INTEGERS))
      .map(([n, v]) => `PARAMETER ${n} ${/[\s"]/.test(v) || v === "" ? `"""${v}"""` : v}`),
  ),
  often(
    fc
      .tuple(fc.constantFrom("SYSTEM", "LICENSE", "system"), fc.constantFrom(...TEXTS))
      .map(([k, v]) => `${k} """${v}"""`),
  ),
  often(value(VALID_TEMPLATES, INVALID_TEMPLATES).map((t) => `TEMPLATE """${t}"""`)),
  often(
    fc
      .tuple(value(["system", "user", "assistant"], ROLES), fc.constantFrom(...TEXTS))
      .map(([r, v]) => `MESSAGE ${r} """${v}"""`),
  ),
  sometimes(fc.constantFrom("1.2.3", "v0.14.0", "0.1", "abc", "1.2.3-rc.1", "v2").map((v) => `REQUIRES ${v}`)),
  sometimes(fc.constantFrom("qwen3-coder", "harmony", "nosuchrenderer").map((v) => `RENDERER ${v}`)),
  sometimes(fc.constantFrom("qwen3-coder", "harmony", "nosuchparser").map((v) => `PARSER ${v}`)),
  sometimes(fc.constantFrom("ADAPTER ./missing-adapter.gguf", "DRAFT ./lookup.gguf")),
  often(fc.constantFrom("# a comment", "", "   ")),
);

const FROMS = [`FROM ${BASE}`, `from ${BASE}:latest`, `FROM "${BASE}"`, `FROM ./lookup.gguf`, `FROM ${BASE} # comment`];

const generated = fc
  .tuple(
    fc.constantFrom(...FROMS, ""),
    fc.array(instruction, { maxLength: 6 }),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', '"""', "\n", " ", "#", "PARAMETER", "{{", "}}", "\u0000")), {
      maxLength: 1,
    }),
  )
  .map(([from, lines, eol, fromLast, edits]) => {
    // Edits go into the instructions only: a FROM naming a model the server does not have is a question for
    // the registry, not for lint.
    let body = lines.join(eol);
    for (const [at, token] of edits) {
      const i = at % (body.length + 1);
      body = body.slice(0, i) + token + body.slice(i);
    }
    return (fromLast ? `${body}${eol}${from}` : `${from}${eol}${body}`) + eol;
  });

const GENERATED_COUNT = 1000;

describe.each(OLLAMA_VERSIONS)("Ollama %s: lint agrees with the real ollama create", (version) => {
  let server: OllamaServer;
  let root: string;
  beforeAll(async () => {
    server = await startOllama(version);
    // Not makeProject's: that is removed after each test, and this one serves them all.
    root = mkdtempSync(path.join(tmpdir(), "ollama-build-create-"));
    writeFileSync(path.join(root, "lookup.gguf"), buildLookupModel(theoBehaviour()).gguf);
    writeFileSync(path.join(root, "base.modelfile"), `FROM ./lookup.gguf\n`);
    const base = await server.cli(["create", BASE, "-f", "base.modelfile"], { cwd: root });
    expect(base.exitCode, base.stderr).toBe(0);
    // Ollama's test inputs build FROM names of their own: give those the lookup model too.
    for (const name of UPSTREAM_BASES) await server.cli(["cp", BASE, name]);
    mkdirSync(path.join(root, "assistant"));
    copyFileSync(path.join(root, "lookup.gguf"), path.join(root, "assistant/model.gguf"));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("on Ollama's own parser test inputs", async () => {
    const outcomes = await differential(
      server,
      root,
      upstream.map((c) => c.input),
    );
    expect(summarise(disagreements(outcomes))).toEqual({});
    recordSummary(`create-upstream-${version}`, {
      create_differential: { [version]: { upstream: { inputs: outcomes.length, disagreements: 0 } } },
    });
  });

  it(`on ${GENERATED_COUNT} generated Modelfiles`, { timeout: 900_000 }, async () => {
    const inputs = fc.sample(generated, { numRuns: GENERATED_COUNT, seed: 20261207 });
    const outcomes = await differential(server, root, inputs);
    const accepted = outcomes.filter((o) => o.ollama === undefined).length;
    expect(summarise(disagreements(outcomes))).toEqual({});
    // Both kinds are well represented, so the agreement means something.
    expect(accepted).toBeGreaterThan(GENERATED_COUNT / 5);
    expect(outcomes.length - accepted).toBeGreaterThan(GENERATED_COUNT / 5);
    recordSummary(`create-generated-${version}`, {
      create_differential: { [version]: { generated: { inputs: outcomes.length, accepted, disagreements: 0 } } },
    });
  });
});
