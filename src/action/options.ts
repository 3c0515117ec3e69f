/** The action's inputs and the runner's environment, as the pipeline's options. */
import os from "node:os";
import path from "node:path";
import * as core from "@actions/core";
import { githubModelCache, githubReportCache } from "../github/cache.js";
import type { RunContext } from "../github/context.js";
import { runProcess } from "../io/exec.js";
import type { PipelineOptions } from "../pipeline/options.js";
import { openWorkspace } from "../project/workspace.js";
import type { Credentials } from "../registry/client.js";
import { imageRegistryLogin } from "../registry/credentials.js";
import { cachedReportStore } from "../report/saved-reports.js";
import type { Inputs } from "./inputs.js";
import { log } from "./log.js";

/**
 * One folder for every saved report, at the same path in every job: a cache entry restores only to the paths it
 * was saved from (they are part of its version), and RUNNER_TEMP differs between runners.
 */
const SAVED_REPORT_DIR = path.join(os.tmpdir(), "ollama-build-saved-report");

const pair = (username: string | undefined, password: string | undefined): Credentials | undefined =>
  username !== undefined && password !== undefined ? { username, password } : undefined;

/** One stage of `all` in its own log group; its time goes into the log line after the group. */
async function timedGroup<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await core.group(name, work);
  } finally {
    core.info(`${name}: ${Date.now() - started} ms`);
  }
}

export function actionPipelineOptions(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  githubWorkspace: string,
  runContext: RunContext,
): PipelineOptions {
  const temp = env.RUNNER_TEMP ?? os.tmpdir();
  const modelRegistryCredentials = pair(inputs["ollama-registry-username"], inputs["ollama-registry-password"]);
  const baseRef = inputs["base-ref"];
  const commentId = inputs["comment-id"];
  return {
    run: runProcess,
    openWorkspace: () =>
      openWorkspace(runProcess, {
        cwd: githubWorkspace,
        root: inputs["working-directory"],
        overrides: {
          modelfiles: inputs.modelfiles,
          image: inputs.image,
          "ollama-image": inputs["ollama-image"],
          "client-api": inputs["client-api"],
          "ollama-registry": inputs["ollama-registry"],
          runtime: {
            "keep-alive": inputs["keep-alive"],
            "num-parallel": inputs["num-parallel"],
            "max-loaded-models": inputs["max-loaded-models"],
            "flash-attention": inputs["flash-attention"],
            warmup: inputs.warmup,
          },
        },
      }),
    runContext: async () => runContext,
    ...(baseRef === undefined ? {} : { baseRef }),
    log,
    warn: (line) => core.warning(line),
    stage: timedGroup,
    store: inputs.store ?? path.join(temp, "ollama-build-store"),
    tempDir: temp,
    ...(modelRegistryCredentials === undefined ? {} : { modelRegistryCredentials }),
    // The runner is the job's own: logging docker in with the inputs is what lets BuildKit push.
    imageRegistryLogin: imageRegistryLogin(
      runProcess,
      pair(inputs["registry-username"], inputs["registry-password"]),
      env,
    ),
    push: inputs.push === "auto" ? "auto" : inputs.push === "true",
    layerCache: inputs["layer-cache"],
    ...(inputs.cache ? { modelCache: githubModelCache } : {}),
    ...(runContext.repository === undefined
      ? {}
      : { repositoryUrl: `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${runContext.repository}` }),
    pinMissingBaseModels: false,
    paired: inputs.paired,
    minEffect: inputs["min-effect"],
    failOnWarnings: inputs["fail-on-warnings"],
    smoke: {
      ...(inputs.cases === undefined ? {} : { cases: inputs.cases }),
      ...(inputs.gpus === undefined ? {} : { gpus: inputs.gpus }),
      ...(inputs.budgets === undefined ? {} : { budgets: inputs.budgets }),
      ...(inputs.repeat === undefined ? {} : { repeat: inputs.repeat }),
      ...(inputs["ready-timeout"] === undefined ? {} : { readyTimeoutMs: inputs["ready-timeout"] * 1000 }),
      displayRoot: githubWorkspace,
    },
    ...(inputs.baseline ? { reports: cachedReportStore(githubReportCache, SAVED_REPORT_DIR, commentId) } : {}),
    ...(commentId === undefined ? {} : { commentId }),
  };
}
