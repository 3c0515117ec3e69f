/**
 * Credentials for a registry from the environment or from `docker login`'s config file, so the registry API
 * calls (does the image exist, add tags) use the same login as the push. Credential helpers are not run.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Credentials } from "./client.js";

export async function dockerConfigCredentials(
  host: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Credentials | undefined> {
  const dir = env.DOCKER_CONFIG ?? path.join(os.homedir(), ".docker");
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(await readFile(path.join(dir, "config.json"), "utf8"));
  } catch {
    return undefined;
  }
  const entry = config.auths?.[host] ?? config.auths?.[`https://${host}`] ?? config.auths?.[`http://${host}`];
  if (entry?.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry?.auth) return undefined;
  const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Credentials from two environment variables, when both are set. */
export function environmentCredentials(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
): Credentials | undefined {
  const username = env[`${prefix}_USERNAME`];
  const password = env[`${prefix}_PASSWORD`];
  return username && password ? { username, password } : undefined;
}
