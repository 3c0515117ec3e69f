/**
 * Every action input, validated in one place. The runner enforces neither `required` nor types, so an input
 * that is missing or malformed fails the step here with its name and what was expected.
 */
import { z } from "zod";
import { isImageReference, isImageRepository } from "../registry/image-ref.js";
import { parseBudgetAssignments } from "../smoke/budgets.js";

export const COMMANDS = ["lint", "plan", "build", "smoke", "report", "all", "release", "update-lock"] as const;

const optionalText = z.string().transform((v) => (v === "" ? undefined : v));
/** The YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
const yamlBoolean = (fallback: boolean) =>
  z
    .enum(["true", "True", "TRUE", "false", "False", "FALSE", ""], { error: 'expected "true" or "false"' })
    .transform((v) => (v === "" ? fallback : v.toLowerCase() === "true"));
const optionalPositiveInteger = z
  .string()
  .regex(/^([1-9][0-9]*)?$/, "expected a positive whole number")
  .transform((v) => (v === "" ? undefined : Number(v)));

export const InputsSchema = z.object({
  command: z.enum(COMMANDS, { error: `expected one of ${COMMANDS.join(", ")}` }),
  "working-directory": z
    .string()
    .refine((v) => !v.split(/[\\/]/).includes(".."), "expected a path inside the workspace")
    .transform((v) => (v === "" ? "." : v)),
  modelfiles: optionalText,
  image: optionalText.refine((v) => v === undefined || isImageRepository(v), {
    message: "expected an image repository such as ghcr.io/owner/models (no tag)",
  }),
  "ollama-image": optionalText.refine((v) => v === undefined || isImageReference(v), {
    message: "expected an image reference such as ollama/ollama:0.32.15 (or …@sha256:<digest>)",
  }),
  "client-api": z
    .enum(["openai", "native", ""], { error: 'expected "openai" or "native"' })
    .transform((v) => (v === "" ? undefined : v)),
  "base-ref": optionalText,
  "fail-on-warnings": yamlBoolean(false),
  push: z
    .enum(["auto", "true", "false", ""], { error: 'expected "auto", "true" or "false"' })
    .transform((v) => (v === "" ? "auto" : v)),
  "registry-username": optionalText,
  "registry-password": optionalText,
  "ollama-registry": optionalText.refine((v) => v === undefined || /^https?:\/\/[^/\s]+\/?$/.test(v), {
    message: "expected a registry URL such as https://registry.ollama.ai",
  }),
  "ollama-registry-username": optionalText,
  "ollama-registry-password": optionalText,
  store: optionalText,
  cache: yamlBoolean(true),
  "layer-cache": yamlBoolean(false),
  "keep-alive": optionalText.refine((v) => v === undefined || /^(-1|\d+(\.\d+)?(ns|us|µs|ms|s|m|h)?)+$/.test(v), {
    message: "expected an Ollama duration such as 24h, 30m or -1",
  }),
  "num-parallel": optionalPositiveInteger,
  "max-loaded-models": optionalPositiveInteger,
  "flash-attention": z
    .enum(["true", "false", ""], { error: 'expected "true" or "false"' })
    .transform((v) => (v === "" ? undefined : v === "true")),
  warmup: optionalText.transform((v) => v?.split(/[\s,]+/).filter(Boolean)),
  endpoint: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: "expected a URL such as http://localhost:11434",
  }),
  cases: optionalText.transform((v) =>
    v
      ?.split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
  ),
  repeat: optionalPositiveInteger,
  gpus: z
    .enum(["auto", "all", "none", ""], { error: 'expected "auto", "all" or "none"' })
    .transform((v) => (v === "" ? undefined : v)),
  budgets: optionalText.transform((v, context) => {
    if (v === undefined) return undefined;
    try {
      return parseBudgetAssignments(v.split("\n"));
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  "ready-timeout": optionalPositiveInteger,
  "github-token": optionalText,
  comment: yamlBoolean(true),
  "comment-id": optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_.-]{1,64}$/.test(v), {
    message: "expected letters, digits, '_', '.' or '-' (at most 64)",
  }),
  baseline: yamlBoolean(true),
  paired: z
    .enum(["auto", "interleaved", "blocks", "off", ""], { error: 'expected "auto", "interleaved", "blocks" or "off"' })
    .transform((v) => (v === "" ? "auto" : v)),
  "min-effect": z
    .string()
    .regex(/^(\d+(\.\d+)?)?$/, "expected a percentage such as 5")
    .transform((v) => (v === "" ? 0.05 : Number(v) / 100)),
  artifact: yamlBoolean(true),
  "report-dir": optionalText,
  version: optionalText,
  "lock-branch": z
    .string()
    .transform((v) => (v === "" ? "ollama-build/update-lock" : v))
    .refine((v) => /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(v) && !/\.\.|\/\/|\.lock$|\/$|\/\.|@\{/.test(v), {
      message: "expected a branch name such as ollama-build/update-lock",
    }),
});

export type Inputs = z.infer<typeof InputsSchema>;

export class InputError extends Error {}

/** `getInput` returns "" for an input that was not given, as @actions/core does. */
export function readInputs(getInput: (name: string) => string): Inputs {
  const raw = Object.fromEntries(Object.keys(InputsSchema.shape).map((name) => [name, getInput(name)]));
  const result = InputsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown = name.endsWith("password") ? "***" : JSON.stringify(raw[name]);
      return `input '${name}' (${shown}): ${issue.message}`;
    });
    throw new InputError(problems.join("\n"));
  }
  const inputs = result.data;
  const pairs = [
    ["registry-username", "registry-password"],
    ["ollama-registry-username", "ollama-registry-password"],
  ] as const;
  for (const [user, password] of pairs) {
    if ((inputs[user] === undefined) !== (inputs[password] === undefined)) {
      throw new InputError(`inputs '${user}' and '${password}' go together: give both or neither`);
    }
  }
  return inputs;
}
