/**
 * Runs the action the way the runner does: real INPUT_* variables, a real event payload, and the files the
 * runner reads back (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). The source (src/index.ts, through tsx) by default;
 * the bundle GitHub runs (dist/action/index.js) when asked, as test/dist.test.ts does.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { makeProject, TSX_LOADER } from "../helpers.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
export const ACTION_BUNDLE = path.join(repositoryRoot, "dist/action/index.js");
const ACTION_SOURCE = ["--import", TSX_LOADER, path.join(repositoryRoot, "src/index.ts")];

/** Parses the `name<<delimiter … delimiter` records the runner reads from GITHUB_OUTPUT. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] as string);
    if (match === null) continue;
    const value: string[] = [];
    for (i++; lines[i] !== match[2]; i++) value.push(lines[i] as string);
    outputs[match[1] as string] = value.join("\n");
  }
  return outputs;
}

export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  event: object = {},
  env: Record<string, string> = {},
  entry: { bundle?: boolean } = {},
) {
  const runnerFiles = makeProject({ "output.txt": "", "summary.md": "", "event.json": JSON.stringify(event) });
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  const result = await execa(process.execPath, entry.bundle ? [ACTION_BUNDLE] : ACTION_SOURCE, {
    reject: false,
    cwd: workspace,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(runnerFiles, "output.txt"),
      GITHUB_STEP_SUMMARY: path.join(runnerFiles, "summary.md"),
      GITHUB_EVENT_PATH: path.join(runnerFiles, "event.json"),
      GITHUB_REPOSITORY: "Theo/voice-models",
      GITHUB_SHA: "feedface00000000",
      GITHUB_REF: "refs/heads/main",
      GITHUB_EVENT_NAME: "push",
      ...inputEnv,
      ...env,
    },
  });
  return {
    ...result,
    outputs: readOutputs(path.join(runnerFiles, "output.txt")),
    summary: readFileSync(path.join(runnerFiles, "summary.md"), "utf8"),
  };
}
