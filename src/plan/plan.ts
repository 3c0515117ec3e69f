/** The plan: which models exist, what they hash to, which changed against the base, and the image tags. */
import { dependenciesOf, type ModelEntry } from "../project/load.js";
import { imageHash } from "./hash.js";
import type { ImageSpec } from "./image-spec.js";
import { contentTag, imageTags, type SourceContext } from "./tags.js";

export interface PlannedModel {
  name: string;
  file: string;
  /** The base: the last FROM's value, as Ollama reads it. */
  from: string;
  hash: string;
  changed: boolean;
  dependsOn: string[];
}

export interface Plan {
  /** The image repository. */
  image: string;
  imageHash: string;
  /** The content-addressed reference, `<image>:m-<hash12>`. */
  imageTag: string;
  /** Every tag the build gets (content-addressed first). */
  tags: string[];
  /** The commit the comparison was made against; undefined when there was none. */
  base?: string;
  /**
   * The content-addressed reference the base commit's models give with this run's image settings: the image
   * the base built, unless those settings changed too. Finds the base's smoke report by content.
   */
  baseImageTag?: string;
  /** In build order: dependencies before dependants. */
  models: PlannedModel[];
}

export interface PlanInputs {
  image: string;
  spec: ImageSpec;
  models: readonly ModelEntry[];
  /** Model names, dependencies first: the order the image builds and warms them in (see graph.ts). */
  order: readonly string[];
  hashes: ReadonlyMap<string, string>;
  /** Model hashes at the base commit; undefined means there is no base to compare with (all changed). */
  baseHashes?: ReadonlyMap<string, string>;
  base?: string;
  source: SourceContext;
}

export function makePlan(inputs: PlanInputs): Plan {
  const byName = new Map(inputs.models.map((m) => [m.name, m]));
  const models = inputs.order.map((name): PlannedModel => {
    const model = byName.get(name);
    if (model === undefined) throw new Error(`the build order names ${name}, which is not a model of the project`);
    const hash = inputs.hashes.get(name);
    if (hash === undefined) throw new Error(`model ${name} (${model.file}) has no hash: lint it first`);
    const froms = model.parsed?.commands.filter((c) => c.name === "model") ?? [];
    return {
      name,
      file: model.file,
      from: froms.at(-1)?.args ?? "",
      hash,
      changed: inputs.baseHashes?.get(name) !== hash,
      dependsOn: dependenciesOf(model).sort(),
    };
  });
  const combined = imageHash(inputs.hashes, inputs.spec);
  const tags = imageTags(combined, inputs.source);
  const plan: Plan = {
    image: inputs.image,
    imageHash: combined,
    imageTag: `${inputs.image}:${contentTag(combined)}`,
    tags,
    models,
  };
  if (inputs.base !== undefined) plan.base = inputs.base;
  if (inputs.baseHashes !== undefined && inputs.baseHashes.size > 0) {
    plan.baseImageTag = `${inputs.image}:${contentTag(imageHash(inputs.baseHashes, inputs.spec))}`;
  }
  return plan;
}

/** `strategy.matrix` for one job per changed model. */
export function changedMatrix(plan: Plan): { include: { model: string; file: string; hash: string }[] } {
  return { include: plan.models.filter((m) => m.changed).map((m) => ({ model: m.name, file: m.file, hash: m.hash })) };
}
