/** `lock`: pin base models in ollama.lock; and the check `fetch` and `build` make before they use it. */
import path from "node:path";
import { writeFileAtomically } from "../io/files.js";
import { libraryRefs, type Project } from "../project/load.js";
import {
  checkLock,
  emptyLock,
  LOCK_FILE,
  type Lock,
  LockError,
  type LockState,
  serializeLock,
} from "../project/lockfile.js";
import { parseModelRef } from "../project/model-ref.js";
import type { Workspace } from "../project/workspace.js";
import { type OllamaRegistryAccess, ollamaRegistryClients } from "./model-registries.js";
import { resolveLockEntry } from "./resolve.js";

export interface LockResult {
  lock: Lock;
  added: string[];
  updated: string[];
  removed: string[];
}

/**
 * Adds what is missing and drops what no Modelfile uses. `update` re-resolves the given references (all when
 * `true`); without it, pinned entries stay as they are. Writes ollama.lock (atomically) and returns it;
 * `keepUnchanged`: a lock that was valid and gained, moved and lost nothing keeps its bytes, canonical or not.
 */
export async function runLock(
  workspace: Workspace,
  checked: { project: Project; lock: LockState },
  access: OllamaRegistryAccess,
  options: { update?: readonly string[] | true; keepUnchanged?: boolean } = {},
): Promise<LockResult> {
  if (checked.lock.status === "invalid" && options.update !== true) {
    throw new LockError(`${checked.lock.error}. Run \`ollama-build lock --update\` to rewrite it.`);
  }
  const previous = checked.lock.status === "ok" ? checked.lock.lock : emptyLock();
  const refs = libraryRefs(checked.project);
  const check = checkLock(previous, refs);
  const clientFor = ollamaRegistryClients(access);
  const wanted = options.update === true ? refs : (options.update ?? []).map((given) => canonical(given, refs));

  const lock: Lock = { version: previous.version, models: {} };
  const result: LockResult = { lock, added: [], updated: [], removed: check.unused };
  for (const ref of refs) {
    const existing = previous.models[ref];
    if (existing !== undefined && !wanted.includes(ref)) {
      lock.models[ref] = existing;
      continue;
    }
    const parsed = parseModelRef(ref);
    const entry = await resolveLockEntry(clientFor(parsed.host), parsed);
    lock.models[ref] = entry;
    if (existing === undefined) result.added.push(ref);
    else if (existing.digest !== entry.digest) result.updated.push(ref);
  }
  const unchanged =
    checked.lock.status === "ok" && result.added.length + result.updated.length + result.removed.length === 0;
  if (!(options.keepUnchanged === true && unchanged)) {
    await writeFileAtomically(path.join(workspace.root, LOCK_FILE), serializeLock(lock));
  }
  return result;
}

function canonical(given: string, refs: readonly string[]): string {
  const ref = parseModelRef(given);
  const full = `${ref.host}/${ref.namespace}/${ref.model}:${ref.tag ?? "latest"}`.toLowerCase();
  if (!refs.includes(full))
    throw new LockError(`${given}: no Modelfile builds FROM it (known: ${refs.join(", ") || "none"})`);
  return full;
}

/**
 * The lock `fetch` and `build` use, as lint read it: they never resolve tags themselves. A project without
 * library base models needs no lock. `file` names the lock in messages.
 */
export function requireLock(state: LockState, refs: readonly string[], file: string): Lock {
  if (refs.length === 0) return state.status === "ok" ? state.lock : emptyLock();
  if (state.status === "absent") {
    throw new LockError(`${file} does not exist: run \`ollama-build lock\` to pin the base models`);
  }
  if (state.status === "invalid") throw new LockError(state.error);
  const { missing } = checkLock(state.lock, refs);
  if (missing.length > 0) throw new LockError(`${file} does not pin ${missing.join(", ")}: run \`ollama-build lock\``);
  return state.lock;
}
