/**
 * The real Ollama builds test/services/build-ollama.sh makes: one binary and one image per version in
 * test/services/ollama-versions (the single list of versions the tests run).
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

/** Newest first; the first is the one a test uses when one version is enough. */
export const OLLAMA_VERSIONS: readonly string[] = readFileSync(
  path.join(repositoryRoot, "test/services/ollama-versions"),
  "utf8",
)
  .split("\n")
  .map((line) => line.replace(/#.*/, "").trim())
  .filter((line) => line !== "");

export const NEWEST_OLLAMA = OLLAMA_VERSIONS[0] as string;

/** up.sh's state directory: /var/lib/ollama-build-test as root, else under XDG_STATE_HOME. */
const STATE_DIR =
  process.getuid?.() === 0
    ? "/var/lib/ollama-build-test"
    : path.join(process.env.XDG_STATE_HOME ?? path.join(homedir(), ".local/state"), "ollama-build-test");

export const ollamaBinary = (version: string) => path.join(STATE_DIR, "ollama", version, "ollama");

/** The local image laid out like ollama/ollama, built from that binary (never pulled). */
export const ollamaImage = (version: string) => `ollama-build-test/ollama:${version}`;

/** Fails with what to do when the build is missing. */
export function requireOllamaBinary(version: string): string {
  const binary = ollamaBinary(version);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`no Ollama ${version} at ${binary}: build it with \`bash test/services/up.sh\``);
  }
  return binary;
}
