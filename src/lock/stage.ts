/** `lock` and `fetch`: pin base models in ollama.lock, and bring their blobs into the model store. */

import path from "node:path";
import { type FetchReport, fetchModels } from "../fetch/fetch.js";
import type { StoreLayout } from "../fetch/store.js";
import { writeFileAtomically } from "../io/files.js";
import { runLint } from "../lint/stage.js";
import { libraryRefs } from "../project/load.js";
import { DEFAULT_REGISTRY_HOST, parseModelRef } from "../project/model-ref.js";
import type { Workspace } from "../project/workspace.js";
import { type Credentials, RegistryClient } from "../registry/client.js";
import { checkLock, emptyLock, LOCK_FILE, type Lock, LockError, parseLock, serializeLock } from "./lockfile.js";
import { resolveLockEntry } from "./resolve.js";

export interface OllamaRegistryAccess {
  /** Base URL used for `registry.ollama.ai` references (a mirror or a test registry). */
  defaultRegistryUrl: string;
  credentials?: Credentials;
  log?: (message: string) => void;
}

/**
 * One client per registry host; `registry.ollama.ai` may be redirected to a mirror. The credentials were given
 * for the configured registry (`ollama-registry`): only a client of that origin gets them, whatever host a
 * Modelfile or ollama.lock names.
 */
export function ollamaRegistryClients(access: OllamaRegistryAccess): (host: string) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  const configured = new URL(access.defaultRegistryUrl).origin;
  return (host) => {
    let client = clients.get(host);
    if (client === undefined) {
      const baseUrl = host === DEFAULT_REGISTRY_HOST ? access.defaultRegistryUrl : `https://${host}`;
      const ours = new URL(baseUrl).origin === configured;
      client = new RegistryClient({
        baseUrl,
        ...(access.credentials === undefined || !ours ? {} : { credentials: access.credentials }),
        ...(access.log === undefined ? {} : { log: access.log }),
      });
      clients.set(host, client);
    }
    return client;
  };
}

export interface LockResult {
  lock: Lock;
  added: string[];
  updated: string[];
  removed: string[];
}

/**
 * Adds what is missing and drops what no Modelfile uses. `update` re-resolves the given references (all when
 * empty); without it, pinned entries stay as they are.
 */
export async function runLock(
  workspace: Workspace,
  access: OllamaRegistryAccess,
  options: { update?: readonly string[] | true } = {},
): Promise<LockResult> {
  const lint = await runLint(workspace);
  if (lint.lock.status === "invalid" && options.update !== true) {
    throw new LockError(`${lint.lock.error}. Run \`ollama-build lock --update\` to rewrite it.`);
  }
  const previous = lint.lock.status === "ok" ? lint.lock.lock : emptyLock();
  const refs = libraryRefs(lint.project);
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
  await writeFileAtomically(path.join(workspace.root, LOCK_FILE), serializeLock(lock));
  return result;
}

function canonical(given: string, refs: readonly string[]): string {
  const ref = parseModelRef(given);
  const full = `${ref.host}/${ref.namespace}/${ref.model}:${ref.tag ?? "latest"}`.toLowerCase();
  if (!refs.includes(full))
    throw new LockError(`${given}: no Modelfile builds FROM it (known: ${refs.join(", ") || "none"})`);
  return full;
}

/** Reads the lock that `fetch` and `build` need; they never resolve tags themselves. */
export async function requireLock(workspace: Workspace, refs: readonly string[]): Promise<Lock> {
  const file = path.join(workspace.root, LOCK_FILE);
  let lock: Lock;
  try {
    lock = parseLock(Buffer.from(await workspace.tree.readFile(LOCK_FILE)).toString("utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new LockError(`${file} does not exist: run \`ollama-build lock\` to pin the base models`);
    }
    throw error;
  }
  const { missing } = checkLock(lock, refs);
  if (missing.length > 0) throw new LockError(`${file} does not pin ${missing.join(", ")}: run \`ollama-build lock\``);
  return lock;
}

export async function runFetch(
  workspace: Workspace,
  store: StoreLayout,
  access: OllamaRegistryAccess,
): Promise<{ report: FetchReport; lock: Lock; refs: string[] }> {
  const lint = await runLint(workspace);
  const refs = libraryRefs(lint.project);
  const lock = await requireLock(workspace, refs);
  const report = await fetchModels({
    store,
    lock,
    refs,
    clientFor: ollamaRegistryClients(access),
    ...(access.log === undefined ? {} : { log: access.log }),
  });
  return { report, lock, refs };
}
