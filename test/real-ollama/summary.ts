/**
 * What the real-Ollama tests found, for `npm run test:real`'s JSON summary: each test records its part in a
 * file of its own under .tmp/real-ollama-summary (scripts/test-real.mjs clears it first and merges the parts).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SUMMARY_DIR = path.resolve(import.meta.dirname, "../../.tmp/real-ollama-summary");

export function recordSummary(part: string, figures: object): void {
  mkdirSync(SUMMARY_DIR, { recursive: true });
  const file = path.join(SUMMARY_DIR, `${part}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(figures));
  renameSync(`${file}.tmp`, file);
}
