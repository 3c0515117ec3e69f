/** The action: reads its inputs, runs the same stage functions as the CLI, and reports through the runner. */
import * as core from "@actions/core";
import { readRunContext } from "../github/context.js";
import { runProcess } from "../io/exec.js";
import { openWorkspace } from "../project/workspace.js";
import {
  type ActionContext,
  allStep,
  buildStep,
  lintStep,
  planStep,
  releaseStep,
  reportStep,
  smokeStep,
} from "./commands.js";
import { readInputs } from "./inputs.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    for (const secret of [inputs["registry-password"], inputs["ollama-registry-password"], inputs["github-token"]]) {
      if (secret !== undefined) core.setSecret(secret);
    }
    const githubWorkspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const workspace = await openWorkspace(runProcess, {
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
    });
    const context: ActionContext = { inputs, env, workspace, githubWorkspace, run: await readRunContext(env) };
    switch (inputs.command) {
      case "lint":
        return await lintStep(context);
      case "plan":
        return await planStep(context);
      case "build":
        return await buildStep(context);
      case "smoke":
        return await smokeStep(context);
      case "all":
        return await allStep(context);
      case "report":
        return await reportStep(context);
      case "release":
        return await releaseStep(context);
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
