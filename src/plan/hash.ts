/**
 * The canonical model hash: sha256 over a model's whole input closure, so that a tag derived from it names
 * exactly one set of inputs. The recipe (documented in the README, "Hash recipe"):
 *
 *   model hash = sha256( canonical JSON of {
 *     recipe: "ollama-build/model/v1",
 *     ollamaImage: the Ollama image reference the model is created with,
 *     commands: [[name, args], ...]   — the parsed Modelfile in Ollama's representation, line breaks in
 *                                       values written as LF (CRLF and CR checkouts hash alike),
 *     references: [[name, args, target], ...] — for each FROM/ADAPTER/DRAFT: target is
 *         {model: <dependency>, hash: <its model hash>}   another model of the project, or
 *         {library: <canonical ref>, digest: <locked manifest digest or null>}, or
 *         {path: <project-relative path>, sha256: <file sha256, or directory hash>}
 *   })
 *   canonical JSON = JSON with object keys sorted by code unit and no white space.
 *   image hash = sha256( canonical JSON of {recipe: "ollama-build/image/v1", ollamaImage,
 *     environment: [[name, value], ...] (the image's ENV), entrypoint: sha256 of ollama/entrypoint.sh,
 *     models: {name: hash}} )
 *
 * Comments, blank lines, keyword case and quoting do not reach the parsed commands, so they do not change it.
 */
import { createHash } from "node:crypto";
import type { ModelEntry, ReferenceTarget } from "../project/load.js";
import { canonicalModelRef } from "../project/model-ref.js";
import { environment, type ImageSpec } from "./image-spec.js";

export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as CanonicalValue)}`).join(",")}}`;
}

export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const toLf = (text: string) => text.replace(/\r\n?/g, "\n");

export interface HashInputs {
  ollamaImage: string;
  /** Manifest digest per canonical library ref, from ollama.lock; missing entries hash as null. */
  lockedDigests?: ReadonlyMap<string, string>;
}

/** Hashes every parsed model, dependencies first; models that cannot be hashed (parse error, cycle) are absent. */
export function hashModels(models: readonly ModelEntry[], inputs: HashInputs): Map<string, string> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const hashes = new Map<string, string>();
  const inProgress = new Set<string>();

  const targetDocument = (target: ReferenceTarget): CanonicalValue | undefined => {
    switch (target.kind) {
      case "model": {
        if (target.dependency === undefined) {
          const library = canonicalModelRef(target.ref);
          return { library, digest: inputs.lockedDigests?.get(library) ?? null };
        }
        const hash = hashOf(target.dependency);
        return hash === undefined ? undefined : { model: target.dependency, hash };
      }
      case "local":
        return { path: target.path, sha256: target.sha256 };
      default:
        return undefined; // missing or escaping paths are lint errors: such a model has no hash
    }
  };

  const hashOf = (name: string): string | undefined => {
    const known = hashes.get(name);
    if (known !== undefined) return known;
    const model = byName.get(name);
    if (model?.parsed === undefined || inProgress.has(name)) return undefined;
    inProgress.add(name);
    try {
      const references: CanonicalValue[] = [];
      for (const reference of model.references) {
        const target = targetDocument(reference.target);
        if (target === undefined) return undefined;
        references.push([reference.command.name, toLf(reference.command.args), target]);
      }
      const hash = sha256Hex(
        canonicalJson({
          recipe: "ollama-build/model/v1",
          ollamaImage: inputs.ollamaImage,
          commands: model.parsed.commands.map((c) => [c.name, toLf(c.args)]),
          references,
        }),
      );
      hashes.set(name, hash);
      return hash;
    } finally {
      inProgress.delete(name);
    }
  };

  for (const model of models) hashOf(model.name);
  return hashes;
}

export function imageHash(modelHashes: ReadonlyMap<string, string>, image: ImageSpec): string {
  return sha256Hex(
    canonicalJson({
      recipe: "ollama-build/image/v1",
      ollamaImage: image.ollamaImage,
      environment: environment(image.runtime),
      entrypoint: image.entrypoint.sha256,
      models: Object.fromEntries([...modelHashes].sort()),
    }),
  );
}
