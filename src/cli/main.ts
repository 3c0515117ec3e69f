/** The command line process: real arguments, streams and processes for runCli. */

import { runProcess } from "../io/exec.js";
import { VERSION } from "../version.js";
import { runCli } from "./run.js";

// A reader that goes away (`ollama-build smoke | head`) must not end the run before it removes its container:
// what is written after that is dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  run: runProcess,
  version: VERSION,
});
