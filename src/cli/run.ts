/** The `ollama-build` command line: a thin shell over the pipeline the action runs too. */
import { parseArgs } from "node:util";
import { describeError } from "../text/errors.js";
import { forWorkflowLog, neutraliseControlCharacters } from "../text/safe-text.js";
import { COMMAND_HANDLERS } from "./commands.js";
import type { CliIo } from "./options.js";
import { OPTIONS, USAGE, UsageError } from "./usage.js";

/** Messages may list several problems, one per line; every other control character is escaped. */
const NEWLINE = new Set(["\n"]);

/**
 * Output often lands in a workflow's log: nothing a Modelfile, a server or a model wrote may become a workflow
 * command there, so every line is neutralised, except the commands `lint --format github` writes on purpose.
 */
export async function runCli(argv: readonly string[], given: CliIo): Promise<number> {
  const io: CliIo = {
    ...given,
    stdout: (text) => given.stdout(forWorkflowLog(text)),
    stderr: (text) => given.stderr(forWorkflowLog(text)),
    commands: given.stdout,
  };
  // `--version` alone is the tool's version; `release --version X` is the release's.
  if (argv.length === 1 && argv[0] === "--version") {
    io.stdout(`${io.version}\n`);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === "help") {
      (command === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const handler = Object.hasOwn(COMMAND_HANDLERS, command) ? COMMAND_HANDLERS[command] : undefined;
    if (handler === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await handler(io, rest, values);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const usage = error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    if (usage) {
      io.stderr(`ollama-build: ${neutraliseControlCharacters((error as Error).message)}\n\n${USAGE}`);
      return 2;
    }
    // One line per failure, never a stack: what was being done, on what, and why (the causes' texts).
    io.stderr(`ollama-build: ${neutraliseControlCharacters(describeError(error), NEWLINE)}\n`);
    return 1;
  }
}
