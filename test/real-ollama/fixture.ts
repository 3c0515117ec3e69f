/**
 * The real-Ollama fixture project (test/fixtures/real-ollama/theo): a voice agent and a classifier shaped like
 * the seed's, both FROM the generated model `theo-lookup:1`, which is published to the test registry with the
 * real `ollama push` (once per test file; the same content each time, so the same digest).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { commitAll, makeProject } from "../helpers.js";
import { PLAIN_REGISTRY, uniqueRepository } from "../integration/services.js";
import { type Behaviour, parseBehaviour } from "./behaviour.js";
import { type PublishedModel, publishLookupModel } from "./publish.js";
import { ollamaImage } from "./versions.js";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/real-ollama/theo");
export const REGISTRY_HOST = new URL(PLAIN_REGISTRY).host;

export const theoBehaviour = (): Behaviour =>
  parseBehaviour(readFileSync(path.join(FIXTURE, "behaviour.yaml"), "utf8"), "behaviour.yaml");

let published: Promise<PublishedModel> | undefined;

/** Publishes theo-lookup:1 (once per process). */
export function publishTheoLookup(): Promise<PublishedModel> {
  published ??= publishLookupModel(theoBehaviour(), { registry: REGISTRY_HOST, tag: "1" });
  return published;
}

export interface RealProject {
  root: string;
  /** The image repository it builds, in the test registry, unique to this project. */
  image: string;
}

/** A copy of the fixture in a git repository (one commit), set to build with that Ollama version's image. */
export async function realProject(version: string): Promise<RealProject> {
  const root = makeProject({});
  cpSync(FIXTURE, root, { recursive: true });
  rmSync(path.join(root, "behaviour.yaml"));
  const image = `${REGISTRY_HOST}/${uniqueRepository("real")}/theo-models`;
  writeFileSync(
    path.join(root, "ollama-build.yml"),
    `image: ${image}\nollama-image: ${ollamaImage(version)}\nollama-registry: ${PLAIN_REGISTRY}\n`,
  );
  await commitAll(root, "theo");
  return { root, image };
}
