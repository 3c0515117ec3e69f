#!/usr/bin/env node
// `npm run test:real`: the tests against the real Ollama (the *.real.test.ts files: the whole pipeline, generated
// behaviour files, lint against the real `ollama create`, the stand-in's contract), then one JSON summary of
// what they found as the last line of stdout. Each test writes its part to .tmp/real-ollama-summary/; this
// merges them and adds the totals. Needs the test services (bash test/services/up.sh builds the real Ollama).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const summaryDir = path.join(root, ".tmp/real-ollama-summary");
rmSync(summaryDir, { recursive: true, force: true });
mkdirSync(summaryDir, { recursive: true });

const vitest = spawnSync(
  process.execPath,
  [
    path.join(root, "node_modules/vitest/vitest.mjs"),
    "run",
    "--project",
    "integration",
    ".real.test.ts",
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);

/** Objects merged key by key; anything else: the later part wins. */
function merge(into, part) {
  for (const [key, value] of Object.entries(part)) {
    const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    into[key] = isObject(into[key]) && isObject(value) ? merge({ ...into[key] }, value) : value;
  }
  return into;
}

const summary = { passed: vitest.status === 0 };
for (const file of readdirSync(summaryDir).sort()) {
  merge(summary, JSON.parse(readFileSync(path.join(summaryDir, file), "utf8")));
}
const sum = (values) => values.reduce((a, b) => a + b, 0);
const perVersion = (section, read) => sum(Object.values(summary[section] ?? {}).map(read));
if (summary.create_differential !== undefined) {
  const parts = (v) => [v.upstream, v.generated].filter(Boolean);
  summary.create_differential = {
    inputs: perVersion("create_differential", (v) => sum(parts(v).map((p) => p.inputs))),
    disagreements: perVersion("create_differential", (v) => sum(parts(v).map((p) => p.disagreements))),
    by_version: summary.create_differential,
  };
}
if (summary.standin_contract !== undefined) {
  summary.standin_contract = {
    requests: perVersion("standin_contract", (v) => v.requests),
    differences: perVersion(
      "standin_contract",
      (v) => v.differences - Object.keys(v.older_version_differs ?? {}).length,
    ),
    by_version: summary.standin_contract,
  };
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(vitest.status ?? 1);
