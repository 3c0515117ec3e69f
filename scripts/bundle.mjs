#!/usr/bin/env node
// Bundles the action and the CLI with @vercel/ncc into dist/<name>/index.js.
// Each bundle is built into a fresh directory under .tmp/, checked, and only
// then swapped in for dist/<name>, so a failed build never leaves a
// half-written dist/. Output is deterministic: CI rebuilds dist/ and fails
// when it differs from the committed copy.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ncc = join(root, "node_modules", ".bin", "ncc");
const tmp = join(root, ".tmp");

/** name = dist/<name>; entry = source file; mode = index.js file mode. */
const bundles = [
  { name: "action", entry: "src/index.ts", mode: 0o644 },
  { name: "cli", entry: "src/cli.ts", mode: 0o755 },
];

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(ncc)) fail(`${relative(root, ncc)} not found; run npm ci`);
// webpack's module ids hash each module's path: a node_modules that is a
// symlink to elsewhere gives other ids, so a dist/ that CI sees as stale.
const modules = join(root, "node_modules");
if (fs.realpathSync(modules) !== join(fs.realpathSync(root), "node_modules")) {
  fail("node_modules is a symlink; run npm ci for a real one");
}
for (const { entry } of bundles) {
  if (!fs.existsSync(join(root, entry))) fail(`entry ${entry} not found`);
}

fs.mkdirSync(tmp, { recursive: true });
fs.mkdirSync(join(root, "dist"), { recursive: true });

for (const { name, entry, mode } of bundles) {
  const started = performance.now();
  const out = join(tmp, `bundle-${name}`);
  const old = join(tmp, `bundle-${name}.old`);
  const target = join(root, "dist", name);
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(old, { recursive: true, force: true });

  // Run ncc with the Node that runs this script (Node 24 under npm scripts)
  // rather than whatever `node` the ncc shebang would find first.
  const args = [ncc, "build", entry, "--out", out];
  args.push("--license", "licenses.txt", "--quiet", "--no-cache");
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  } catch (error) {
    fs.rmSync(out, { recursive: true, force: true });
    fail(`ncc failed for ${entry} (${error.status ?? error.message})`);
  }

  const index = join(out, "index.js");
  if (!fs.existsSync(index)) fail(`ncc produced no ${relative(root, index)}`);
  fs.chmodSync(index, mode);

  // Swap: move the old bundle aside, move the new one in, drop the old one.
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(out, target);
  fs.rmSync(old, { recursive: true, force: true });

  const ms = Math.round(performance.now() - started);
  console.log(`bundle: ${entry} -> dist/${name}/index.js (${ms} ms)`);
}
