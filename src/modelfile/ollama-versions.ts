/**
 * What differs between the Ollama versions a project may pin (its `ollama-image`), as far as a Modelfile is
 * concerned: instructions a version does not know yet, and the template functions it defines. Each boundary was
 * read from Ollama's source at the releases on either side of it (the Go module proxy serves them).
 */

/** The release an image tag names (`ollama/ollama:0.11.4`, `…:0.11.4-rocm`, `…:v0.24.0`), when it names one. */
export function ollamaVersionOfImage(image: string): string | undefined {
  const tag = /:([^/@:]+)(?:@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
  return /^v?(\d+\.\d+\.\d+)(?:-[0-9A-Za-z.-]+)?$/.exec(tag ?? "")?.[1];
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b (`MAJOR.MINOR.PATCH`). */
function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) {
    const d = (pa?.[i] ?? 0) - (pb?.[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const atLeast = (version: string, since: string) => compareVersions(version, since) >= 0;

/** The instructions a version's parser knows, as its error lists them. */
function knownInstructions(version: string): string[] {
  const known = ["from", "license", "template", "system", "adapter"];
  if (atLeast(version, "0.23.2")) known.push("draft");
  if (atLeast(version, "0.12.0")) known.push("renderer", "parser");
  known.push("parameter", "message");
  if (atLeast(version, "0.14.0")) known.push("requires");
  return known;
}

/** parser.go's error for an instruction it does not know, listing those it does. */
function notAnInstruction(version: string): string {
  const quoted = knownInstructions(version).map((name) => `"${name}"`);
  return `command must be one of ${quoted.slice(0, -1).join(", ")}, or ${quoted.at(-1)}`;
}

/** When each instruction became something `ollama create` accepts (FROM, PARAMETER and the rest always were). */
const INSTRUCTION_SINCE: Readonly<Record<string, string>> = {
  renderer: "0.12.0",
  parser: "0.12.0",
  requires: "0.14.0",
  // 0.23.2 parses DRAFT, but its create request refuses it without --experimental, as 0.24 does; 0.30.0 is
  // the first release checked that accepts it (0.25 to 0.29 could not be read).
  draft: "0.30.0",
};

/**
 * Why `ollama create` of that version refuses an instruction, or undefined when it accepts it. `instruction` is
 * the lower-case keyword (`draft`), not a parameter name.
 */
export function unsupportedInstruction(instruction: string, version: string): string | undefined {
  const since = INSTRUCTION_SINCE[instruction];
  if (since === undefined || atLeast(version, since)) return undefined;
  const ollama = knownInstructions(version).includes(instruction)
    ? "DRAFT requires --experimental"
    : notAnInstruction(version);
  return `${instruction.toUpperCase()} needs Ollama ${since} or newer; the ollama-image is ${version} (its ollama create: "${ollama}")`;
}

/**
 * Whether the version's server trims white space around a FROM model name before reading it (0.18.0 on,
 * internal/modelref); 0.17 and earlier refuse `FROM " qwen3:4b"` as an invalid model name.
 */
export const trimsModelNames = (version: string | undefined) => version === undefined || atLeast(version, "0.18.0");

/** Go's strings.TrimSpace: Unicode white space (unicode.IsSpace), at both ends. */
export const goTrimSpace = (text: string) =>
  text.replace(
    /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g,
    "",
  );

/** The functions a version's templates may call besides Go's builtins (template/template.go `funcs`). */
export function templateFunctions(version: string | undefined): ReadonlySet<string> {
  const names = ["json", "currentDate", "toTypeScriptType"];
  if (version === undefined || atLeast(version, "0.13.3")) names.push("yesterdayDate");
  return new Set(names);
}
