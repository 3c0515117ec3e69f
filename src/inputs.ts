/**
 * Every action input, validated in one place. The runner enforces neither `required` nor types, so an input
 * that is missing or malformed fails the step here with its name and what was expected.
 */
import { z } from "zod";
import { isImageRepository } from "./plan/tags.js";

export const COMMANDS = ["lint", "plan"] as const;

const optionalText = z.string().transform((v) => (v === "" ? undefined : v));
/** The YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
const yamlBoolean = z
  .enum(["true", "True", "TRUE", "false", "False", "FALSE", ""], {
    error: 'expected "true" or "false"',
  })
  .transform((v) => v.toLowerCase() === "true");

export const InputsSchema = z.object({
  command: z.enum(COMMANDS, { error: `expected one of ${COMMANDS.join(", ")}` }),
  "working-directory": z.string().transform((v) => (v === "" ? "." : v)),
  modelfiles: optionalText,
  image: optionalText.refine((v) => v === undefined || isImageRepository(v), {
    message: "expected an image repository such as ghcr.io/owner/models (no tag)",
  }),
  "ollama-image": optionalText,
  "client-api": z
    .enum(["openai", "native", ""], { error: 'expected "openai" or "native"' })
    .transform((v) => (v === "" ? undefined : v)),
  "base-ref": optionalText,
  "fail-on-warnings": yamlBoolean,
});

export type Inputs = z.infer<typeof InputsSchema>;

export class InputError extends Error {}

/** `getInput` returns "" for an input that was not given, as @actions/core does. */
export function readInputs(getInput: (name: string) => string): Inputs {
  const raw = Object.fromEntries(Object.keys(InputsSchema.shape).map((name) => [name, getInput(name)]));
  const result = InputsSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `input '${name}' (${JSON.stringify(raw[name])}): ${issue.message}`;
  });
  throw new InputError(problems.join("\n"));
}
