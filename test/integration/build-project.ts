/** Test projects whose base models live in a fresh namespace of the test registry, built by the pipeline. */
import path from "node:path";
import type { BuildReport } from "../../src/build/report.js";
import type { Runner } from "../../src/io/exec.js";
import { RegistryClient } from "../../src/registry/client.js";
import { makeProject } from "../helpers.js";
import { testPipeline } from "../pipeline/fixture.js";
import { PLAIN_REGISTRY, seedOllamaModel, uniqueRepository } from "./services.js";

export interface TestProject {
  root: string;
  image: string;
  namespace: string;
}

const registry = new RegistryClient({ baseUrl: PLAIN_REGISTRY });

/** The Theo-like project: an agent on a qwen3 stand-in, a classifier, and a model built FROM the agent. */
export async function makeBuildProject(
  ollamaImage: string,
  options: { weightBytes?: number; modelfiles?: (ns: string) => Record<string, string> } = {},
): Promise<TestProject> {
  const namespace = uniqueRepository("lib");
  await seedOllamaModel(registry, {
    repository: `${namespace}/qwen3`,
    tag: "4b",
    weightBytes: options.weightBytes ?? 1024 * 1024,
  });
  await seedOllamaModel(registry, { repository: `${namespace}/functiongemma`, tag: "270m", weightBytes: 256 * 1024 });
  const image = `127.0.0.1:5000/${uniqueRepository("img")}/models`;
  const modelfiles = options.modelfiles?.(namespace) ?? {
    "modelfiles/agent.modelfile": `FROM ${namespace}/qwen3:4b\nPARAMETER num_ctx 4096\nSYSTEM """Você é a Theo."""\nMESSAGE user Oi\nMESSAGE assistant Oi, tudo bem?\n`,
    "modelfiles/classifier.modelfile": `FROM ${namespace}/functiongemma:270m\nSYSTEM Classifique.\n`,
    "modelfiles/agent-en.modelfile": "FROM agent\nSYSTEM Speak English.\n",
  };
  const root = makeProject({
    ...modelfiles,
    "ollama-build.yml": `image: ${image}\nollama-image: ${ollamaImage}\nollama-registry: ${PLAIN_REGISTRY}\n`,
  });
  await testPipeline(root).lock();
  return { root, image, namespace };
}

export async function buildProject(
  project: TestProject,
  extra: { push?: boolean; store?: string; run?: Runner } = {},
): Promise<BuildReport> {
  return testPipeline(project.root, {
    ...(extra.run === undefined ? {} : { run: extra.run }),
    context: { source: { sha: "0123456789abcdef", branch: "main" } },
    push: extra.push ?? true,
    store: extra.store ?? path.join(project.root, ".store"),
    tempDir: makeProject({}),
  }).build();
}
