/** The action: reads its inputs, hands them to the pipeline as options, and runs the command's stage. */
import * as core from "@actions/core";
import { readRunContext } from "../github/context.js";
import { Pipeline } from "../pipeline/pipeline.js";
import { describeError } from "../text/errors.js";
import { ACTION_COMMANDS } from "./commands.js";
import { readInputs } from "./inputs.js";
import { actionPipelineOptions } from "./options.js";

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    for (const secret of [inputs["registry-password"], inputs["ollama-registry-password"], inputs["github-token"]]) {
      if (secret !== undefined) core.setSecret(secret);
    }
    const githubWorkspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const runContext = await readRunContext(env);
    const pipeline = new Pipeline(actionPipelineOptions(inputs, env, githubWorkspace, runContext));
    await ACTION_COMMANDS[inputs.command]({ inputs, env, githubWorkspace, run: runContext, pipeline });
  } catch (error) {
    core.setFailed(describeError(error));
  }
}
