#!/usr/bin/env node
// Only the Node.js check runs before the CLI is loaded: on an old Node a dependency fails while it loads (with a
// TypeError on a missing built-in), before any of our code could say why.
const [major = 0] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(`ollama-build needs Node.js 22 or newer; this is ${process.version}\n`);
  process.exit(1);
}
await import("./cli/main.js");
