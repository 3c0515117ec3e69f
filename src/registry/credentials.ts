/**
 * Credentials for the image registry, the same for the registry API calls (does the image exist, add tags) as
 * for the push: given ones are handed to `docker login` first (BuildKit pushes with docker's login), else those
 * of `docker login`'s config file. Credential helpers are not run.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Runner } from "../io/exec.js";
import type { Credentials } from "./client.js";
import { parseImageRepository } from "./image-ref.js";

/** The credentials for an image's registry (undefined: anonymous). */
export type ImageRegistryLogin = (image: string) => Promise<Credentials | undefined>;

/** `docker login` reads the password from standard input, never from argv. */
export function loginArgv(registryHost: string, username: string): string[] {
  return ["login", "--username", username, "--password-stdin", registryHost];
}

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

/**
 * With `given` credentials: `docker login` to the image's registry with them (once per host), and those;
 * without: docker's own login for that host, if any.
 */
export function imageRegistryLogin(
  run: Runner,
  given: Credentials | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ImageRegistryLogin {
  const loggedIn = new Set<string>();
  return async (image) => {
    const { host } = parseImageRepository(image);
    if (given === undefined) return dockerConfigCredentials(host, env);
    if (!loggedIn.has(host)) {
      const login = await run("docker", loginArgv(host, given.username), { input: given.password });
      if (login.exitCode !== 0) {
        throw new Error(`docker login to ${host} as ${given.username} failed: ${login.stderr.trim()}`);
      }
      loggedIn.add(host);
    }
    return given;
  };
}

/**
 * The command line's: OLLAMA_BUILD_REGISTRY_USERNAME / _PASSWORD, else docker's own login. It never runs
 * `docker login`: a developer's docker configuration is theirs, and a push uses it as it is.
 */
export function environmentLogin(env: Readonly<Record<string, string | undefined>>): ImageRegistryLogin {
  return async (image) =>
    environmentCredentials(env, "OLLAMA_BUILD_REGISTRY") ??
    (await dockerConfigCredentials(parseImageRepository(image).host, env));
}
