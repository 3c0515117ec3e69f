#!/usr/bin/env node
import { runCli } from "./cli/run.js";
import { runProcess } from "./exec.js";
import { VERSION } from "./version.js";

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  run: runProcess,
  version: VERSION,
});
