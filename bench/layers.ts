/**
 * `npm run bench:layers`: what a system-prompt edit costs to push, with one layer per model (ollama-build)
 * and with the seed's recipe (one COPY of the whole model store).
 *
 * Fixture: a 160 MiB qwen3:4b-like and a 48 MiB functiongemma:270m-like base model in a fresh namespace of
 * the test registry, and the three Theo Modelfiles. Layered: build + push, edit only the voice agent's
 * SYSTEM text, build + push again. Naive: the same two model stores (bases and created models, as one
 * directory) copied in one layer onto the same stand-in Ollama image, pushed to another fresh repository.
 *
 * Push bytes = the size of every blob (config and layers) of the second image that the repository did not
 * hold after the first push (the registry skips those), plus the second image's manifest.
 * Goals: layered_push_bytes <= 16384 and naive/layered >= 10000.
 */
import { link, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { runChecked, runProcess } from "../src/io/exec.js";
import { standinImage } from "../test/integration/standin-image.js";
import {
  bench,
  buildProject,
  editVoiceAgentSystem,
  forgetLocalImages,
  log,
  MiB,
  makeTheoProject,
  PLAIN_REGISTRY,
  pushBytes,
  pushedImage,
  round,
  tempDir,
  timed,
  uniqueRepository,
} from "./common.js";

const LAYERED_GOAL_BYTES = 16384;
const RATIO_GOAL = 10_000;
const STORE_GOAL_BYTES = 200 * MiB;

/** Hard-links every file of `from` into `to`, keeping relative paths (contexts never overlap in files). */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else
      await link(source, target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
  }
}

/**
 * The seed-style recipe: one COPY of the whole model store, assembled from the per-model contexts a
 * layered build left in its workDir (`contexts/<name>/root/.ollama/models/...`).
 */
async function naiveBuild(layeredWorkDir: string, reference: string, ollamaImage: string): Promise<number> {
  const dir = tempDir("naive");
  const contexts = path.join(layeredWorkDir, "contexts");
  for (const name of await readdir(contexts)) {
    await linkTree(path.join(contexts, name, "root/.ollama/models"), path.join(dir, "models"));
  }
  await writeFile(
    path.join(dir, "Dockerfile"),
    `FROM ${ollamaImage}\nENV OLLAMA_MODELS=/root/.ollama/models\nCOPY models/ /root/.ollama/models/\n`,
  );
  const { ms } = await timed(() =>
    runChecked(runProcess, "docker", [
      "buildx",
      "build",
      "--progress",
      "plain",
      "--provenance=false",
      "--sbom=false",
      "--tag",
      reference,
      "--push",
      dir,
    ]),
  );
  return ms;
}

await bench("bench:layers", async () => {
  const missed: string[] = [];
  const ollamaImage = await standinImage();
  const project = await makeTheoProject({ qwen3: 160 * MiB, functiongemma: 48 * MiB });

  log(`layered: first build + push of ${project.image}`);
  const firstWork = tempDir("work");
  const first = await timed(() => buildProject(project, { workDir: firstWork }));
  if (first.value.skipped !== undefined) throw new Error(`the first build was skipped: ${first.value.skipped}`);
  const storeBytes = first.value.layers.reduce((n, l) => n + l.bytes, 0);
  log(`  ${first.ms} ms; model store ${round(storeBytes / MiB, 1)} MiB in ${first.value.layers.length} model layers`);

  editVoiceAgentSystem(project, "Seja sempre gentil e paciente com o cliente.");
  log("layered: rebuild + push after editing the voice agent's SYSTEM text");
  const secondWork = tempDir("work");
  const second = await timed(() => buildProject(project, { workDir: secondWork }));
  if (second.value.skipped !== undefined) throw new Error(`the rebuild was skipped: ${second.value.skipped}`);
  if (second.value.plan.imageTag === first.value.plan.imageTag) throw new Error("the edit did not change the image");
  const layered = pushBytes(
    await pushedImage(first.value.plan.imageTag),
    await pushedImage(second.value.plan.imageTag),
  );
  log(
    `  ${second.ms} ms; new blobs: ${layered.newBlobs.map((b) => `${b.digest.slice(7, 19)} ${b.size} B`).join(", ")}; manifest ${layered.manifestBytes} B`,
  );

  const naiveImage = `${PLAIN_REGISTRY.replace(/^https?:\/\//, "")}/${uniqueRepository("bench-naive")}/models`;
  log(`naive: one COPY of the whole store, first build + push of ${naiveImage}:v1`);
  const naiveFirstMs = await naiveBuild(firstWork, `${naiveImage}:v1`, ollamaImage);
  log(`  ${naiveFirstMs} ms`);
  log("naive: rebuild + push after the same edit");
  const naiveSecondMs = await naiveBuild(secondWork, `${naiveImage}:v2`, ollamaImage);
  log(`  ${naiveSecondMs} ms`);
  const naive = pushBytes(await pushedImage(`${naiveImage}:v1`), await pushedImage(`${naiveImage}:v2`));
  log(
    `  new blobs: ${naive.newBlobs.map((b) => `${b.digest.slice(7, 19)} ${b.size} B`).join(", ")}; manifest ${naive.manifestBytes} B`,
  );

  await forgetLocalImages([
    ...first.value.references,
    ...second.value.references,
    `${naiveImage}:v1`,
    `${naiveImage}:v2`,
  ]);

  const ratio = naive.bytes / layered.bytes;
  if (storeBytes < STORE_GOAL_BYTES) missed.push(`store_bytes ${storeBytes} < ${STORE_GOAL_BYTES} (fixture too small)`);
  if (layered.bytes > LAYERED_GOAL_BYTES) missed.push(`layered_push_bytes ${layered.bytes} > ${LAYERED_GOAL_BYTES}`);
  if (!(ratio >= RATIO_GOAL)) missed.push(`ratio ${round(ratio)} < ${RATIO_GOAL}`);
  return {
    figures: {
      layered_push_bytes: layered.bytes,
      naive_push_bytes: naive.bytes,
      ratio: round(ratio),
      store_bytes: storeBytes,
      layered_build_ms: second.ms,
      naive_build_ms: naiveSecondMs,
      layered_first_build_ms: first.ms,
      naive_first_build_ms: naiveFirstMs,
      layered_new_blobs: layered.newBlobs.length,
      naive_new_blobs: naive.newBlobs.length,
    },
    missed,
  };
});
