/**
 * Property tests over 100,000 generated Modelfiles: random token soups and mutations of real Modelfiles,
 * plus long inputs (100k to 1M characters). The parser may only ever throw its own parse error, and every
 * accepted input must survive parse → print → parse unchanged.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";
import { mutatedTexts } from "../mutations.js";
import { formatModelfile } from "./printer.js";

const TOKENS = [
  "FROM",
  "from",
  "PARAMETER",
  "parameter",
  "SYSTEM",
  "TEMPLATE",
  "MESSAGE",
  "ADAPTER",
  "LICENSE",
  "REQUIRES",
  "RENDERER",
  "PARSER",
  "DRAFT",
  "user",
  "assistant",
  "system",
  "stop",
  "num_ctx",
  "temperature",
  " ",
  "  ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "#",
  '"',
  '""',
  '"""',
  "a",
  "qwen3:4b",
  "1",
  "0.5",
  "_",
  "-",
  "/",
  ":",
  "é",
  "😀",
  "\u0000",
  "\u000b",
  "\u00a0",
  "\ufeff",
  "\ufffd",
  "{{ .System }}",
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(""));
const anyText = fc.string({ unit: "binary", maxLength: 60 });
const anyBytes = fc.uint8Array({ maxLength: 80 });

const upstream: { input: string }[] = JSON.parse(
  readFileSync(new URL("../fixtures/upstream/ollama-parser-cases.json", import.meta.url), "utf8"),
);
const modelfilesDir = new URL("../../modelfiles/", import.meta.url);
const corpus = [
  ...upstream.map((c) => c.input),
  ...readdirSync(modelfilesDir).map((f) => readFileSync(new URL(f, modelfilesDir), "utf8")),
];

/** A real Modelfile with a few insertions, deletions and replacements. */
const mutated = mutatedTexts(corpus, TOKENS, { maxCut: 3, maxEdits: 6 });

function checkInput(input: string | Uint8Array): void {
  let parsed: ReturnType<typeof parseModelfile>;
  try {
    parsed = parseModelfile(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelfileParseError);
    return;
  }
  const reparsed = parseModelfile(formatModelfile(parsed.commands));
  expect(reparsed.commands.map((c) => [c.kind, c.name, c.args])).toEqual(
    parsed.commands.map((c) => [c.kind, c.name, c.args]),
  );
}

describe("fuzz: 100,000 generated Modelfiles", () => {
  it.each([
    ["token soups", tokenSoup, 40_000],
    ["mutated real Modelfiles", mutated, 40_000],
    ["arbitrary text", anyText, 10_000],
    ["arbitrary bytes", anyBytes, 10_000],
  ] as const)("%s never throw anything but a parse error, and round-trip when accepted", (_, arbitrary, numRuns) => {
    fc.assert(fc.property(arbitrary as fc.Arbitrary<string | Uint8Array>, checkInput), { numRuns, seed: 20261124 });
  });

  it.each([
    ["a long token soup", () => fc.sample(tokenSoup, { numRuns: 20_000, seed: 11 }).join("\n")],
    ["a long line with a syntax error", () => `FROM a\nPARAMETER ${"x".repeat(300_000)}-y\n`],
    ["a long invalid instruction", () => `FROM a\n${"X".repeat(500_000)}!\n`],
    ["a long value in quotes over many lines", () => `FROM a\nSYSTEM """${"line\r\n".repeat(200_000)}"""\n`],
    ["a long unclosed quote", () => `FROM a\nSYSTEM "${"é😀 ".repeat(250_000)}\n`],
    ["a long comment", () => `#${"c".repeat(1_000_000)}\nFROM a\n`],
    ["long mutated Modelfiles", () => fc.sample(mutated, { numRuns: 2_000, seed: 12 }).join("\n")],
    [
      "long arbitrary bytes",
      () => Uint8Array.from(fc.sample(fc.integer({ min: 0, max: 255 }), { numRuns: 300_000, seed: 13 })),
    ],
  ] as const)("%s never throws anything but a parse error", (_, make) => {
    const input = make();
    expect(input.length).toBeGreaterThanOrEqual(100_000);
    checkInput(input);
  });

  it("accepts a good share of the mutated inputs (so the round-trip property is exercised)", () => {
    const samples = fc.sample(mutated, { numRuns: 2_000, seed: 7 });
    const accepted = samples.filter((s) => {
      try {
        parseModelfile(s);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted.length).toBeGreaterThan(300);
  });
});
