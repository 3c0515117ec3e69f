/**
 * `npm run bench:noop`: a second `build` with nothing changed, against a warm-cache `docker buildx build` of
 * the same recipe.
 *
 * After one build + push of the Theo project (small fixture), `build` runs again (open the workspace, then
 * runBuild, as the CLI does) through a Runner that records every command: it must report `skipped` and start
 * no `docker buildx build`. The comparison reruns the exact buildx argv of the first build (its workDir still
 * holds the Dockerfile and contexts; `--push` to the same tags), so BuildKit's cache is warm. Three of each,
 * alternating; medians reported. Goals: noop <= 2000 ms, no buildx started.
 */
import { runChecked, runProcess } from "../src/io/exec.js";
import {
  bench,
  buildProject,
  forgetLocalImages,
  isBuildxBuild,
  log,
  MiB,
  makeTheoProject,
  median,
  recordingRunner,
  round,
  tempDir,
  timed,
} from "./common.js";

const NOOP_GOAL_MS = 2000;
const RUNS = 3;

await bench("bench:noop", async () => {
  const missed: string[] = [];
  const project = await makeTheoProject({ qwen3: 16 * MiB, functiongemma: 4 * MiB });

  log(`first build + push of ${project.image}`);
  const first = recordingRunner();
  const firstWork = tempDir("work");
  const built = await timed(() => buildProject(project, { run: first.run, workDir: firstWork }));
  if (built.value.skipped !== undefined) throw new Error(`the first build was skipped: ${built.value.skipped}`);
  const buildxCommands = first.commands.filter(isBuildxBuild);
  if (buildxCommands.length !== 1) throw new Error(`the first build ran ${buildxCommands.length} buildx builds`);
  const buildxArgv = (buildxCommands[0] as string[]).slice(1);
  log(`  ${built.ms} ms`);

  const noopMs: number[] = [];
  const buildxMs: number[] = [];
  let buildxStarted = false;
  const noopCommands = new Set<string>();
  for (let i = 1; i <= RUNS; i++) {
    const recorder = recordingRunner();
    const noop = await timed(() => buildProject(project, { run: recorder.run }));
    if (noop.value.skipped === undefined) missed.push(`noop run ${i} built instead of skipping`);
    if (noop.value.plan.imageTag !== built.value.plan.imageTag) missed.push(`noop run ${i} planned another image`);
    for (const argv of recorder.commands) noopCommands.add(argv.slice(0, 3).join(" "));
    if (recorder.commands.some(isBuildxBuild)) buildxStarted = true;
    noopMs.push(noop.ms);
    log(`noop build ${i}: ${noop.ms} ms (${noop.value.skipped ?? "built"}); ran ${recorder.commands.length} commands`);

    const warm = await timed(() => runChecked(runProcess, "docker", buildxArgv));
    buildxMs.push(warm.ms);
    log(`warm docker buildx build --push ${i}: ${warm.ms} ms`);
  }
  await forgetLocalImages(built.value.references);

  const noop = median(noopMs);
  const warm = median(buildxMs);
  if (noop > NOOP_GOAL_MS) missed.push(`noop_ms ${noop} > ${NOOP_GOAL_MS}`);
  if (buildxStarted) missed.push("a noop build started docker buildx build");
  return {
    figures: {
      noop_ms: noop,
      buildx_warm_ms: warm,
      ratio: round(warm / noop),
      buildx_started: buildxStarted,
      noop_runs_ms: noopMs,
      buildx_warm_runs_ms: buildxMs,
      first_build_ms: built.ms,
      noop_commands: [...noopCommands],
    },
    missed,
  };
});
