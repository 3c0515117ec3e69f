/**
 * YAML read with positions, so that a problem with a value (found by a schema later) is reported at its line:
 * `test/smoke/a.yaml:12: cases.3.expect: ...`, `ollama-build.yml:4: runtime.num-parallel: ...`.
 */
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";

export interface YamlSource {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
}

export class YamlSyntaxError extends Error {}

/** Parses YAML; a syntax error is thrown as `file:line: message` (its first line). */
export function readYaml(text: string, file: string): { source: YamlSource; value: unknown } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const [error] = doc.errors;
  if (error !== undefined) {
    throw new YamlSyntaxError(`${at(file, error.linePos?.[0]?.line ?? 1)}: ${error.message.split("\n")[0]}`);
  }
  try {
    // Aliases are resolved here: one that names no anchor, or too many of them (a "billion laughs"), fail.
    return { source: { file, doc, lineCounter }, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (failure) {
    throw new YamlSyntaxError(`${at(file, 1)}: ${(failure as Error).message.split("\n")[0]}`);
  }
}

/**
 * The line of the deepest node of `path` that exists: a map entry's key line (a block value starts on the next
 * line), a list item's own line. A missing key points at the object that should have it.
 */
export function lineOf(source: YamlSource, path: readonly PropertyKey[]): number | undefined {
  const { doc, lineCounter } = source;
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (pair === undefined) break;
      if (isNode(pair.key)) offset = pair.key.range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      const item: unknown = node.items[key];
      if (!isNode(item)) break;
      offset = item.range?.[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

/** `file:line`, or the file alone when the line is not known. */
export const at = (file: string, line: number | undefined) => (line === undefined ? file : `${file}:${line}`);

/** Where a path is: `test/smoke/a.yaml:12`. */
export const locate = (source: YamlSource, path: readonly PropertyKey[]) => at(source.file, lineOf(source, path));

/** The path of a schema issue that names the key at fault (an unknown key is shown on its own line). */
export const issueKeyPath = (issue: z.core.$ZodIssue): PropertyKey[] =>
  issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : [...issue.path];
