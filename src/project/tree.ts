/**
 * A read-only view of the project's files at one point in time: the working tree, or a git commit (for
 * "what did this model hash to on the base branch"). Paths are POSIX, relative to the project root, so the
 * same inputs give the same hashes on every OS.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { type Runner, runChecked } from "../io/exec.js";

export type EntryType = "file" | "directory" | "outside";

export interface FileTree {
  /** For messages: the directory or the git revision being read. */
  readonly label: string;
  /** How messages name a file of this tree: its path, or `<revision>:<path>` in a commit. */
  display(file: string): string;
  /** Every file below `dir` (recursively), POSIX paths relative to the root, sorted. */
  listFiles(dir: string): Promise<string[]>;
  /** The symbolic links below `dir` that lead out of the project (listFiles leaves them out), sorted. */
  listLinksOutside(dir: string): Promise<string[]>;
  readFile(file: string): Promise<Uint8Array>;
  /** The file's sha256 as lowercase hex, without holding a multi-gigabyte model in memory. */
  sha256(file: string): Promise<string>;
  /** undefined when nothing is there; `outside` when a symbolic link leads out of the project. */
  entryType(file: string): Promise<EntryType | undefined>;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a `path.relative` result leaves its base (`..lora.gguf` does not; `../x` does). */
export function leavesBase(relative: string): boolean {
  return relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/** `a/b/../c` → `a/c`; undefined when the path climbs above the root. */
export function normaliseRelative(posixPath: string): string | undefined {
  const parts: string[] = [];
  for (const part of posixPath.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join("/");
}

export class WorkingTree implements FileTree {
  readonly label: string;
  private readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.label = this.root;
  }

  private absolute(file: string): string {
    return path.join(this.root, ...file.split("/"));
  }

  display(file: string): string {
    return this.absolute(file);
  }

  /** Every file below `dir`, and every link below it that leads out of the project. */
  private async walk(dir: string): Promise<{ files: string[]; outside: string[] }> {
    const files: string[] = [];
    const outside: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      const entries = await readdir(this.absolute(relative), { withFileTypes: true });
      for (const entry of entries) {
        const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          // .git is never part of a commit's tree either: both trees list the same files.
          if (entry.name !== ".git") await walk(child);
        } else if (entry.isFile()) {
          files.push(child);
        } else if (entry.isSymbolicLink()) {
          const type = await this.entryType(child);
          if (type === "file") files.push(child);
          else if (type === "outside") outside.push(child);
        }
      }
    };
    if ((await this.entryType(dir)) === "directory") await walk(normaliseRelative(dir) ?? "");
    return { files: files.sort(byCodeUnit), outside: outside.sort(byCodeUnit) };
  }

  async listFiles(dir: string): Promise<string[]> {
    return (await this.walk(dir)).files;
  }

  async listLinksOutside(dir: string): Promise<string[]> {
    return (await this.walk(dir)).outside;
  }

  async readFile(file: string): Promise<Uint8Array> {
    return readFile(this.absolute(file));
  }

  async sha256(file: string): Promise<string> {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(this.absolute(file))) hash.update(chunk as Buffer);
    return hash.digest("hex");
  }

  async entryType(file: string): Promise<EntryType | undefined> {
    const absolute = this.absolute(file);
    try {
      await lstat(absolute);
    } catch {
      return undefined;
    }
    let target: string;
    try {
      target = await realpath(absolute);
    } catch {
      return undefined; // a dangling link
    }
    this.realRoot ??= realpath(this.root);
    const relative = path.relative(await this.realRoot, target);
    if (leavesBase(relative)) return "outside";
    return (await stat(target)).isDirectory() ? "directory" : "file";
  }
}

interface GitEntry {
  mode: string;
  object: string;
}

/** The tree of one git commit, read with `git ls-tree` and `git cat-file` (nothing is checked out). */
export class GitTree implements FileTree {
  readonly label: string;
  private entries: Promise<Map<string, GitEntry>> | undefined;

  constructor(
    private readonly run: Runner,
    private readonly repository: string,
    private readonly revision: string,
    /** The project root's path inside the repository (`""` when they are the same). */
    private readonly prefix: string,
  ) {
    this.label = `git ${revision}`;
  }

  display(file: string): string {
    return `${this.revision}:${this.prefix === "" ? file : `${this.prefix}/${file}`}`;
  }

  private load(): Promise<Map<string, GitEntry>> {
    this.entries ??= runChecked(this.run, "git", ["ls-tree", "-r", "-z", "--full-tree", this.revision], {
      cwd: this.repository,
    }).then((listing) => {
      const entries = new Map<string, GitEntry>();
      for (const record of listing.split("\0")) {
        const tab = record.indexOf("\t");
        if (tab < 0) continue;
        const [mode = "", , object = ""] = record.slice(0, tab).split(" ");
        const full = record.slice(tab + 1);
        if (this.prefix !== "" && !full.startsWith(`${this.prefix}/`)) continue;
        entries.set(this.prefix === "" ? full : full.slice(this.prefix.length + 1), { mode, object });
      }
      return entries;
    });
    return this.entries;
  }

  async listFiles(dir: string): Promise<string[]> {
    const base = normaliseRelative(dir) ?? "";
    const files: string[] = [];
    for (const [file, entry] of await this.load()) {
      if (entry.mode === "160000") continue; // submodule
      if ((base === "" || file.startsWith(`${base}/`)) && (await this.entryType(file)) === "file") files.push(file);
    }
    return files.sort(byCodeUnit);
  }

  async listLinksOutside(dir: string): Promise<string[]> {
    const base = normaliseRelative(dir) ?? "";
    const links: string[] = [];
    for (const [file, entry] of await this.load()) {
      if (entry.mode !== "120000" || !(base === "" || file.startsWith(`${base}/`))) continue;
      if ((await this.resolveLinks(file)) === undefined) links.push(file);
    }
    return links.sort(byCodeUnit);
  }

  /**
   * `git cat-file --filters` gives the bytes a checkout would: line endings converted and LFS pointers
   * smudged as configured, so the base side hashes what the working tree side does.
   */
  private async catFile(file: string, onStdout?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    const resolved = await this.resolveLinks(file);
    if (resolved === undefined || !(await this.load()).has(resolved)) {
      throw new Error(`${file} does not exist at ${this.revision}`);
    }
    const full = this.prefix === "" ? resolved : `${this.prefix}/${resolved}`;
    const result = await this.run("git", ["cat-file", "--filters", `${this.revision}:${full}`], {
      cwd: this.repository,
      ...(onStdout === undefined ? {} : { onStdout }),
    });
    if (result.exitCode !== 0) throw new Error(`cannot read ${file} at ${this.revision}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  async readFile(file: string): Promise<Uint8Array> {
    return this.catFile(file);
  }

  async sha256(file: string): Promise<string> {
    const hash = createHash("sha256");
    await this.catFile(file, (chunk) => hash.update(chunk));
    return hash.digest("hex");
  }

  async entryType(file: string): Promise<EntryType | undefined> {
    const resolved = await this.resolveLinks(file);
    if (resolved === undefined) return "outside";
    const entries = await this.load();
    if (entries.has(resolved)) return "file";
    const prefix = resolved === "" ? "" : `${resolved}/`;
    for (const key of entries.keys()) if (key.startsWith(prefix)) return "directory";
    return undefined;
  }

  /**
   * Follows symbolic links (stored as blobs holding the target) up to a depth Linux also allows; undefined
   * when a link leads out of the project (or loops).
   */
  private async resolveLinks(file: string): Promise<string | undefined> {
    let current = normaliseRelative(file);
    for (let depth = 0; depth < 40 && current !== undefined; depth++) {
      const entry = (await this.load()).get(current);
      if (entry?.mode !== "120000") return current;
      const target = Buffer.from(
        (await this.run("git", ["cat-file", "blob", entry.object], { cwd: this.repository })).stdout,
      ).toString("utf8");
      if (target.startsWith("/")) break;
      current = normaliseRelative(`${path.posix.dirname(current)}/${target}`);
    }
    return undefined;
  }
}
