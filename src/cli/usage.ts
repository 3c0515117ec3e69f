/** The command line's grammar: its usage text, its options, and the checks of their values. */
import type { parseArgs } from "node:util";

export const USAGE = `Usage: ollama-build <command> [options]

Commands:
  parse FILE            print FILE's commands in Ollama's representation as JSON
                        (--create-request: the create request Ollama's client would build)
  lint [PATH...]        check Modelfiles (default: the configured folder, modelfiles/)
                        --format text|json|github
  plan                  models, hashes, what changed against --base-ref, and the image tags
                        --format text|json, --base-ref REF, --image REPOSITORY
  lock [REF...]         pin every library base model in ollama.lock (--update: re-resolve REFs, or all)
  fetch                 download the locked base models into the model store (--store DIR)
  build                 fetch, ollama create, build one layer per model, push (or load)
                        --push | --load, --dry-run (print the recipe), --store DIR, --layer-cache,
                        --format text|json, --base-ref REF, --image REPOSITORY
  release --version V   tag the built image V, V.minor and V.major (no rebuild)
  smoke [CASES...]      run the tool-call cases and measure latency (default cases: test/smoke)
                        --endpoint URL (a running Ollama) | --image REF (boot it; default: the
                        image built for this commit), --cases FILE (repeatable), --report FILE,
                        --repeat N, --gpus auto|all|none, --budget NAME=N (e.g. ttft_ms=300,
                        ttft_ms.p90=800, decode_tps=15, MODEL:ttft_ms=250), --ready-timeout SECONDS,
                        --format text|json (with --endpoint, --gpus does not apply),
                        --compare-image REF: smoke REF (the base) beside the image on this runner and
                        compare them (--paired auto|interleaved|blocks, --min-effect PERCENT, default 5)
  report                the PR comment: --report SMOKE.json [--baseline BASE.json] [--plan PLAN.json]
                        [--build BUILD.json] [--comment-id ID] [--format markdown|json]
  all                   lint, build (local engine unless the image names a registry), smoke, report:
                        --markdown FILE (default ollama-build-report.md), --report FILE (default
                        ollama-build-report.json), --baseline FILE, and the build and smoke options;
                        with --base-ref and the base commit's image present, smoked beside it (--paired)
  update-lock           re-resolve every locked base model; when one moved, build with the new lock, smoke
                        it beside the current lock's image and write the pull request's body to --markdown
                        FILE (default ollama-build-update-lock.md); the build and smoke options apply

Options for the commands that read the project (all but parse and report):
  --root DIR            the project root (default: the git top-level, else the current directory)
  --modelfiles DIR      the Modelfiles folder, relative to the root (default: modelfiles)
  --ollama-image REF    the Ollama image models are created with
  --client-api API      openai (default) or native: which API the models' clients call
  --ollama-registry URL where registry.ollama.ai models are fetched from (a mirror)
  -h, --help            this help
  --version             the version

Credentials come from the environment, never from arguments: OLLAMA_BUILD_REGISTRY_USERNAME and
OLLAMA_BUILD_REGISTRY_PASSWORD for the image registry (else \`docker login\`'s config), and
OLLAMA_REGISTRY_USERNAME / OLLAMA_REGISTRY_PASSWORD for the model registry.

Exit status: 0 success, 1 errors found, 2 bad usage.
`;

export class UsageError extends Error {}

export const OPTIONS = {
  format: { type: "string" },
  root: { type: "string" },
  modelfiles: { type: "string" },
  "ollama-image": { type: "string" },
  "client-api": { type: "string" },
  "base-ref": { type: "string" },
  image: { type: "string" },
  "create-request": { type: "boolean" },
  "ollama-registry": { type: "string" },
  update: { type: "boolean" },
  store: { type: "string" },
  push: { type: "boolean" },
  load: { type: "boolean" },
  "dry-run": { type: "boolean" },
  "layer-cache": { type: "boolean" },
  version: { type: "string" },
  endpoint: { type: "string" },
  cases: { type: "string", multiple: true },
  report: { type: "string" },
  repeat: { type: "string" },
  gpus: { type: "string" },
  budget: { type: "string", multiple: true },
  "ready-timeout": { type: "string" },
  "compare-image": { type: "string" },
  paired: { type: "string" },
  "min-effect": { type: "string" },
  baseline: { type: "string" },
  plan: { type: "string" },
  build: { type: "string" },
  markdown: { type: "string" },
  "comment-id": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
}

export function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--${option} must be a positive whole number (got ${value})`);
  return Number(value);
}

export function percentage(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) > 100) {
    throw new UsageError(`--${option} must be a percentage from 0 to 100 (got ${value})`);
  }
  return Number(value);
}

export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`${command} takes no arguments (got ${positionals.join(" ")})`);
}
