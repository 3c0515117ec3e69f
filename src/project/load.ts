/**
 * Reads a project through a FileTree: finds the Modelfiles, parses them, and resolves what every FROM,
 * ADAPTER and DRAFT refers to (a project model, a library model, or a local file with its digest). All I/O
 * of the Modelfile stage happens here; lint, hash and plan are pure functions of the result.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { goTrimSpace } from "../modelfile/ollama-versions.js";
import { type Command, ModelfileParseError, type ParsedModelfile, parseModelfile } from "../modelfile/parser.js";
import { canonicalModelRef, looksLikePath, resolveReference } from "./model-ref.js";
import type { FileTree } from "./tree.js";

export type ReferenceTarget =
  /** A model name: another model of this project (`dependency`) or a library/registry model. */
  | { kind: "model"; ref: string; dependency?: string }
  | { kind: "local"; path: string; entry: "file"; sha256: string }
  /** `weights` says whether Ollama finds model files in it (its filesForModel globs, top level). */
  | { kind: "local"; path: string; entry: "directory"; sha256: string; weights: boolean }
  | { kind: "missing"; path: string }
  | { kind: "escapes" };

export interface Reference {
  command: Command;
  target: ReferenceTarget;
}

export interface ModelEntry {
  name: string;
  /** POSIX path relative to the project root. */
  file: string;
  /** A symbolic link out of the project: not read (lint says so). */
  outside?: true;
  /** Larger than ollama-build reads: not parsed (lint says so). */
  bytes?: number;
  parsed?: ParsedModelfile;
  parseError?: ModelfileParseError;
  /** One per FROM, ADAPTER and DRAFT command, in file order. */
  references: Reference[];
}

export interface Project {
  models: ModelEntry[];
}

export interface ModelfileSelection {
  /** Directories to search and files to take, relative to the project root. */
  paths: string[];
  /** Model name per Modelfile path (relative to the root), overriding the name taken from the file name. */
  names?: Record<string, string>;
}

/** The configured folder and model names, as a selection. */
export function configuredSelection(config: {
  modelfiles: string;
  models: Record<string, { name: string }>;
}): ModelfileSelection {
  return {
    paths: [config.modelfiles],
    names: Object.fromEntries(Object.entries(config.models).map(([file, { name }]) => [file, name])),
  };
}

export function isModelfileName(file: string): boolean {
  const base = path.posix.basename(file);
  return base === "Modelfile" || /\.modelfile$/i.test(base);
}

/** `theo-voice-agent.modelfile` → `theo-voice-agent`; `agents/theo/Modelfile` → `theo`. */
export function modelNameFromFile(file: string): string {
  const base = path.posix.basename(file);
  // A Modelfile at the root has no folder name to lend: lint asks for a name in ollama-build.yml.
  if (base === "Modelfile")
    return path.posix.dirname(file) === "." ? "" : path.posix.basename(path.posix.dirname(file));
  return base.replace(/\.modelfile$/i, "");
}

/** The Modelfiles to read, and Modelfile-named links that lead out of the project (never read). */
export async function findModelfiles(
  tree: FileTree,
  paths: readonly string[],
): Promise<{ files: string[]; outside: string[] }> {
  const found = new Set<string>();
  const outside = new Set<string>();
  for (const given of paths) {
    const type = await tree.entryType(given);
    if (type === "directory") {
      for (const file of await tree.listFiles(given)) if (isModelfileName(file)) found.add(file);
      for (const link of await tree.listLinksOutside(given)) if (isModelfileName(link)) outside.add(link);
    } else if (type === "file") {
      found.add(path.posix.normalize(given));
    } else if (type === "outside") {
      outside.add(path.posix.normalize(given));
    } else {
      throw new Error(`${given}: no such file or directory in ${tree.label}`);
    }
  }
  return { files: [...found].sort(), outside: [...outside].sort() };
}

/**
 * The largest Modelfile read (its text becomes a string in memory several times over); a bigger one is
 * reported, not read. Real ones are kilobytes.
 */
export const MAX_MODELFILE_BYTES = 32 * 1024 * 1024;

/** sha256 of a directory: over its sorted `relative-path NUL sha256 LF` lines. */
async function directorySha256(tree: FileTree, dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await tree.listFiles(dir)) {
    hash.update(`${file.slice(dir.length + 1)}\0${await tree.sha256(file)}\n`);
  }
  return hash.digest("hex");
}

const REFERENCE_COMMANDS = new Set(["model", "adapter", "draft"]);

/** The weight files Ollama's filesForModel looks for in a directory. */
const MODEL_WEIGHTS =
  /^(model.*\.safetensors|consolidated.*\.safetensors|pytorch_model.*\.bin|consolidated.*\.pth|.*\.gguf|.*\.bin)$/;

/** Ollama's rule for the model part of a name (types/model/name.go isValidPart). */
export function isValidModelName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/.test(name);
}

async function resolveTarget(
  tree: FileTree,
  command: Command,
  modelfileDir: string,
  projectModels: ReadonlyMap<string, string>,
): Promise<ReferenceTarget> {
  const resolution = resolveReference(command.args, modelfileDir);
  if (resolution.kind === "escapes") return { kind: "escapes" };
  const entry = await tree.entryType(resolution.path);
  if (entry === "outside") return { kind: "escapes" };
  if (entry === "file")
    return { kind: "local", path: resolution.path, entry, sha256: await tree.sha256(resolution.path) };
  if (entry === "directory") {
    // A link in it that leads out of the project would bring that file into the build.
    if ((await tree.listLinksOutside(resolution.path)).length > 0) return { kind: "escapes" };
    const files = await tree.listFiles(resolution.path);
    const topLevel = files.map((f) => f.slice(resolution.path.length + 1)).filter((f) => !f.includes("/"));
    return {
      kind: "local",
      path: resolution.path,
      entry,
      sha256: await directorySha256(tree, resolution.path),
      weights: topLevel.some((f) => MODEL_WEIGHTS.test(f)),
    };
  }
  // Ollama takes a FROM that names no existing file as a model name (white space around it trimmed, since
  // 0.18; lint refuses it for older versions); ADAPTER and DRAFT must be files.
  if (command.name === "model" && !looksLikePath(command.args)) {
    const ref = goTrimSpace(command.args);
    const dependency = projectModels.get(canonicalModelRef(ref));
    return dependency === undefined ? { kind: "model", ref } : { kind: "model", ref, dependency };
  }
  return { kind: "missing", path: resolution.path };
}

export async function loadProject(tree: FileTree, selection: ModelfileSelection): Promise<Project> {
  const { files, outside } = await findModelfiles(tree, selection.paths);
  const entry = (file: string): ModelEntry => ({
    name: selection.names?.[file] ?? modelNameFromFile(file),
    file,
    references: [],
  });
  const models = [...files.map(entry), ...outside.map((file) => ({ ...entry(file), outside: true as const }))].sort(
    (a, b) => (a.file < b.file ? -1 : 1),
  );
  const projectModels = new Map(models.map((m) => [canonicalModelRef(m.name), m.name]));

  for (const model of models) {
    if (model.outside) continue;
    const bytes = await tree.readFile(model.file);
    if (bytes.length > MAX_MODELFILE_BYTES) {
      model.bytes = bytes.length;
      continue;
    }
    try {
      model.parsed = parseModelfile(bytes);
    } catch (error) {
      if (!(error instanceof ModelfileParseError)) throw error;
      model.parseError = error;
      continue;
    }
    const dir = path.posix.dirname(model.file);
    for (const command of model.parsed.commands) {
      // By name, as Ollama does: `PARAMETER model x` acts as `FROM x`.
      if (!REFERENCE_COMMANDS.has(command.name)) continue;
      model.references.push({
        command,
        target: await resolveTarget(tree, command, dir === "." ? "" : dir, projectModels),
      });
    }
  }
  return { models };
}

/** The project models a model builds FROM. */
export function dependenciesOf(model: ModelEntry): string[] {
  const names = new Set<string>();
  for (const { target } of model.references) {
    if (target.kind === "model" && target.dependency !== undefined) names.add(target.dependency);
  }
  return [...names];
}

/** The library references a project's models build FROM, canonical. */
export function libraryRefs(project: Project): string[] {
  const refs = new Set<string>();
  for (const model of project.models) {
    for (const { command, target } of model.references) {
      if (command.name === "model" && target.kind === "model" && target.dependency === undefined) {
        refs.add(canonicalModelRef(target.ref));
      }
    }
  }
  return [...refs].sort();
}
