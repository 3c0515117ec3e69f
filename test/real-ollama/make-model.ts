/**
 * The lookup-model generator as a command (test/real-ollama/README.md):
 *
 *   npx tsx test/real-ollama/make-model.ts BEHAVIOUR.yaml OUT_DIR
 *       writes OUT_DIR/model.gguf and OUT_DIR/Modelfile (FROM ./model.gguf, with the template), ready for
 *       `ollama create NAME -f OUT_DIR/Modelfile`
 *   npx tsx test/real-ollama/make-model.ts BEHAVIOUR.yaml --push REGISTRY [--tag TAG] [--ollama VERSION]
 *       publishes it as REGISTRY/library/<name>:<tag> with the real `ollama push --insecure`, run in the test
 *       image of that Ollama version (test/services builds it)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseBehaviour } from "./behaviour.js";
import { buildLookupModel } from "./lookup-model.js";
import { publishLookupModel } from "./publish.js";

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { push: { type: "string" }, tag: { type: "string" }, ollama: { type: "string" } },
  });
  const [file, outDir] = positionals;
  if (file === undefined || (outDir === undefined) === (values.push === undefined) || positionals.length > 2) {
    process.stderr.write("usage: make-model.ts BEHAVIOUR.yaml OUT_DIR | BEHAVIOUR.yaml --push REGISTRY [--tag TAG]\n");
    return 2;
  }
  const behaviour = parseBehaviour(readFileSync(file, "utf8"), file);
  if (values.push !== undefined) {
    const published = await publishLookupModel(behaviour, {
      registry: values.push,
      tag: values.tag ?? "latest",
      ...(values.ollama === undefined ? {} : { version: values.ollama }),
    });
    process.stdout.write(`${published.reference}\n`);
    return 0;
  }
  const model = buildLookupModel(behaviour);
  const dir = outDir as string;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "model.gguf"), model.gguf);
  writeFileSync(path.join(dir, "Modelfile"), model.modelfile("./model.gguf"));
  process.stdout.write(
    `${path.join(dir, "model.gguf")}: ${model.tokens.length} tokens, ${model.gguf.length} bytes; ${path.join(dir, "Modelfile")}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`make-model: ${error.message}\n`);
    process.exitCode = 1;
  },
);
