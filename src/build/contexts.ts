/**
 * One directory per image layer, given to BuildKit as a named build context. Files are hard-linked from the
 * store (no multi-gigabyte copies) and every file and directory gets the same mtime, mode and owner, so that
 * identical content always makes an identical layer. Each context holds the whole path from `/` (copied with
 * `COPY --link --from=<context> / /`): directories that COPY would create itself get the build's wall-clock
 * time, and the docker exporter cannot rewrite timestamps, so none may be left for COPY to create.
 */
import { chmod, copyFile, link, lstat, mkdir, readdir, rm, utimes } from "node:fs/promises";
import path from "node:path";
import type { ImageLayer } from "./layers.js";

/** 1970-01-01T00:00:00Z: the mtime of every file and directory in a layer. */
export const LAYER_EPOCH = new Date(0);

/** Hard links when both paths share a file system (no multi-gigabyte copies), copies otherwise. */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await copyFile(from, to);
  }
}

/** Image paths whose mode differs from the default (0755 directories, 0644 files). */
const SPECIAL_MODES: Readonly<Record<string, number>> = { root: 0o700 };

/**
 * Every file and directory below `dir` gets the fixed mtime and its mode: 0755 for directories, 0644 for
 * files, 0755 for the `executable` paths (relative to `dir`), and SPECIAL_MODES.
 */
export async function normaliseTree(
  dir: string,
  executable: ReadonlySet<string> = new Set(),
  relative = "",
): Promise<void> {
  for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
    const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
    const full = path.join(dir, child);
    if (entry.isDirectory()) {
      await normaliseTree(dir, executable, child);
    } else {
      await chmod(full, executable.has(child) ? 0o755 : 0o644);
      await utimes(full, LAYER_EPOCH, LAYER_EPOCH);
    }
  }
  const self = path.join(dir, relative);
  await chmod(self, SPECIAL_MODES[relative] ?? 0o755);
  await utimes(self, LAYER_EPOCH, LAYER_EPOCH);
}

/**
 * `sourceOf` maps a store path (`blobs/…`, `manifests/…`) to the file holding it; `modelsDir` is where the
 * image keeps its models. Returns the build-context arguments, `[name, directory]`, in layer order.
 */
export async function materialiseContexts(
  layers: readonly ImageLayer[],
  sourceOf: (storePath: string) => string,
  modelsDir: string,
  workDir: string,
): Promise<[string, string][]> {
  const contexts: [string, string][] = [];
  for (const layer of layers) {
    const dir = path.join(workDir, "contexts", layer.context);
    await rm(dir, { recursive: true, force: true });
    for (const file of layer.files) {
      const target = path.join(dir, modelsDir, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      const source = sourceOf(file.path);
      const stats = await lstat(source);
      if (stats.size !== file.size) {
        throw new Error(`${source} has ${stats.size} bytes, but the manifest says ${file.size}: the store is damaged`);
      }
      await linkOrCopy(source, target);
    }
    await normaliseTree(dir);
    contexts.push([layer.context, dir]);
  }
  return contexts;
}
