/**
 * A stand-in for the `ollama` binary, for tests that cannot run the real one (no models can be pulled here).
 * It honours the contract ollama-build relies on, with the real program's behaviour where it matters:
 *   CLI:  `ollama serve`, `ollama list` (fails when no server answers), `ollama create NAME -f FILE`
 *         (parses client-side with Ollama's parser, then asks the server), `ollama --version`
 *   HTTP: GET /, /api/version, /api/tags; HEAD/POST /api/blobs/:digest; POST /api/create (NDJSON progress);
 *         inference — POST /api/generate (load only), /api/chat, /v1/chat/completions, GET /api/ps — simulated
 *         with scripted replies, timings and faults (ollama-api.ts, ollama-script.ts).
 *   Disk: OLLAMA_MODELS laid out as manifests/<host>/<ns>/<model>/<tag> and blobs/sha256-<hex>; `create`
 *         reuses base layers by digest, writes new system/template/params/messages/license/config blobs,
 *         touches the base blobs' mtimes (as Ollama does), and `serve` writes a random
 *         ~/.ollama/id_ed25519 on first start and prunes unreferenced blobs unless OLLAMA_NOPRUNE is set.
 *         `ollama run MODEL ""` loads a model without generating (POST /api/generate with an empty prompt).
 *         Like the real client, `run` first asks POST /api/show and pulls a model the server does not have
 *         (POST /api/pull, which fails here as the real server does offline); `ollama show MODEL` never pulls.
 *   Log:  one line per request on stderr, as the real server's access log: `[GIN] | <status> | <METHOD> "<path>"`.
 * Like Ollama, `create` rejects a TEMPLATE that does not parse (an unclosed `{{`).
 * Fault injection (environment): OLLAMA_STANDIN_FAIL_CREATE=<text> makes /api/create fail with that error;
 * OLLAMA_STANDIN_LOAD_MS (default 50) is how long loading a model takes; the inference faults are the script's.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { buildCreateRequest, type CreateRequest, CreateRequestError } from "../../src/modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";
import { DEFAULT_NAMESPACE, DEFAULT_REGISTRY_HOST, parseModelRef } from "../../src/project/model-ref.js";
import { type InstalledModel, inferenceRoutes, type ModelDetails } from "./ollama-api.js";
import { loadScript } from "./ollama-script.js";

const VERSION = process.env.OLLAMA_STANDIN_VERSION ?? "0.32.15";
const MEDIA = {
  manifest: "application/vnd.docker.distribution.manifest.v2+json",
  config: "application/vnd.docker.container.image.v1+json",
  system: "application/vnd.ollama.image.system",
  template: "application/vnd.ollama.image.template",
  params: "application/vnd.ollama.image.params",
  messages: "application/vnd.ollama.image.messages",
  license: "application/vnd.ollama.image.license",
  model: "application/vnd.ollama.image.model",
  adapter: "application/vnd.ollama.image.adapter",
};

interface Layer {
  mediaType: string;
  digest: string;
  size: number;
}
interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  config: Layer;
  layers: Layer[];
}

function hostAndPort(): { host: string; port: number } {
  const raw = process.env.OLLAMA_HOST ?? "127.0.0.1:11434";
  const withoutScheme = raw.replace(/^https?:\/\//, "");
  const [host, port] = withoutScheme.includes(":") ? withoutScheme.split(":") : [withoutScheme, "11434"];
  return { host: host || "127.0.0.1", port: Number(port) };
}

function clientBase(): string {
  const { host, port } = hostAndPort();
  return `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
}

const modelsDir = () => process.env.OLLAMA_MODELS ?? path.join(os.homedir(), ".ollama", "models");
const blobFile = (digest: string) => path.join(modelsDir(), "blobs", digest.replace(":", "-"));

function manifestFile(name: string): string {
  const ref = parseModelRef(name);
  return path.join(modelsDir(), "manifests", ref.host, ref.namespace, ref.model, ref.tag ?? "latest");
}

/** Content-addressed write, as manifest.NewLayer does: existing blobs are reused (and touched). */
function writeBlob(content: string | Uint8Array, mediaType: string): Layer {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const file = blobFile(digest);
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) {
    const temporary = `${file}-tmp-${process.pid}`;
    writeFileSync(temporary, bytes, { mode: 0o644 });
    renameSync(temporary, file);
  }
  touch(file);
  return { mediaType, digest, size: bytes.length };
}

function touch(file: string): void {
  const now = new Date();
  utimesSync(file, now, now);
}

function readManifest(name: string): Manifest | undefined {
  const file = manifestFile(name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Manifest) : undefined;
}

/** How Ollama shows a name: the library's host and namespace are left out. */
function displayName(host: string, namespace: string, model: string, tag: string): string {
  const short =
    host === DEFAULT_REGISTRY_HOST && namespace === DEFAULT_NAMESPACE ? model : `${host}/${namespace}/${model}`;
  return `${short}:${tag}`;
}

function listManifests(): { name: string; file: string }[] {
  const root = path.join(modelsDir(), "manifests");
  const found: { name: string; file: string }[] = [];
  const walk = (dir: string, parts: string[]) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...parts, entry.name]);
      else if (parts.length === 3) {
        const [host, namespace, model] = parts as [string, string, string];
        found.push({ name: displayName(host, namespace, model, entry.name), file: path.join(dir, entry.name) });
      }
    }
  };
  walk(root, []);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

const readBlobText = (layer: Layer) => readFileSync(blobFile(layer.digest), "utf8");

/** api.ModelDetails from the config blob (the stand-in's models have no weights to read a family from). */
function modelDetails(manifest: Manifest): ModelDetails {
  const config = JSON.parse(readBlobText(manifest.config)) as { model_format?: string; model_family?: string };
  const family = config.model_family ?? "llama";
  return {
    parent_model: "",
    format: config.model_format ?? "gguf",
    family,
    families: [family],
    parameter_size: "",
    quantization_level: "",
  };
}

/** What the inference routes need to know about an installed model. */
function findModel(name: string): InstalledModel | undefined {
  const file = manifestFile(name);
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const manifest = JSON.parse(bytes.toString("utf8")) as Manifest;
  const ref = parseModelRef(name);
  const layer = (mediaType: string) => manifest.layers.find((l) => l.mediaType === mediaType);
  const params = layer(MEDIA.params);
  const system = layer(MEDIA.system);
  const messages = layer(MEDIA.messages);
  return {
    name: displayName(ref.host, ref.namespace, ref.model, ref.tag ?? "latest"),
    digest: createHash("sha256").update(bytes).digest("hex"),
    size: manifest.layers.reduce((sum, l) => sum + l.size, 0),
    details: modelDetails(manifest),
    parameters: params ? (JSON.parse(readBlobText(params)) as Record<string, unknown>) : {},
    promptPrefix: [
      ...(system ? [readBlobText(system)] : []),
      ...(messages ? (JSON.parse(readBlobText(messages)) as { content: string }[]).map((m) => m.content) : []),
    ],
  };
}

function createModel(name: string, request: CreateRequest, progress: (status: string) => void): void {
  const from = request.from ?? "";
  const base = from === "" ? undefined : readManifest(from);
  if (from !== "" && base === undefined) {
    // The real server tries to pull; with no network that fails like this.
    throw new Error(
      `pull model manifest: Get "https://registry.ollama.ai/v2/${from}": dial tcp: lookup registry.ollama.ai: no such host`,
    );
  }
  if (process.env.OLLAMA_STANDIN_FAIL_CREATE) throw new Error(process.env.OLLAMA_STANDIN_FAIL_CREATE);
  if (request.template !== undefined && request.template.split("{{").length !== request.template.split("}}").length) {
    throw new Error("template error: template: :1: unclosed action");
  }
  progress("gathering model components");
  let layers: Layer[] = [];
  for (const layer of base?.layers ?? []) {
    touch(blobFile(layer.digest));
    progress(`using existing layer ${layer.digest}`);
    layers.push(layer);
  }
  const replace = (mediaType: string, content: string) => {
    layers = layers.filter((l) => l.mediaType !== mediaType);
    const layer = writeBlob(content, mediaType);
    progress(`creating new layer ${layer.digest}`);
    layers.push(layer);
  };
  if (request.template) replace(MEDIA.template, request.template);
  if (request.system) replace(MEDIA.system, request.system);
  for (const license of request.license ?? []) layers.push(writeBlob(license, MEDIA.license));
  const inherited = layers.find((l) => l.mediaType === MEDIA.params);
  const parameters = {
    ...(inherited ? JSON.parse(readFileSync(blobFile(inherited.digest), "utf8")) : {}),
    ...request.parameters,
  };
  if (Object.keys(parameters).length > 0) replace(MEDIA.params, `${JSON.stringify(parameters)}\n`);
  if (request.messages?.length) replace(MEDIA.messages, `${JSON.stringify(request.messages)}\n`);

  const baseConfig = base ? JSON.parse(readFileSync(blobFile(base.config.digest), "utf8")) : { model_format: "gguf" };
  const config = writeBlob(
    JSON.stringify({ ...baseConfig, rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) } }),
    MEDIA.config,
  );
  progress("writing manifest");
  const manifest: Manifest = { schemaVersion: 2, mediaType: MEDIA.manifest, config, layers };
  const file = manifestFile(name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(manifest));
  progress("success");
}

function pruneUnreferencedBlobs(): void {
  const referenced = new Set<string>();
  for (const { file } of listManifests()) {
    const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    for (const layer of [manifest.config, ...manifest.layers]) referenced.add(layer.digest.replace(":", "-"));
  }
  const blobs = path.join(modelsDir(), "blobs");
  if (!existsSync(blobs)) return;
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(blobs)) {
    const file = path.join(blobs, name);
    if (!referenced.has(name) && statSync(file).mtimeMs < hourAgo) {
      process.stderr.write(`pruning blob ${name}\n`);
      rmSync(file);
    }
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

function serve(): void {
  const keyFile = path.join(os.homedir(), ".ollama", "id_ed25519");
  if (!existsSync(keyFile)) {
    mkdirSync(path.dirname(keyFile), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  if (!process.env.OLLAMA_NOPRUNE) pruneUnreferencedBlobs();
  let inference: ReturnType<typeof inferenceRoutes>;
  try {
    inference = inferenceRoutes({ findModel, script: loadScript(process.env), env: process.env });
  } catch (error) {
    fail((error as Error).message);
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    // On close, not finish: a request whose connection broke is logged too.
    response.on("close", () =>
      process.stderr.write(`[GIN] | ${response.statusCode} | ${request.method} "${url.pathname}"\n`),
    );
    try {
      if (await inference(request, response, url)) return;
      if (request.method === "GET" && url.pathname === "/") return void response.end("Ollama is running");
      if (request.method === "GET" && url.pathname === "/api/version") return json(response, 200, { version: VERSION });
      if (request.method === "GET" && url.pathname === "/api/tags") {
        const models = listManifests().map(({ name, file }) => {
          const bytes = readFileSync(file);
          const manifest = JSON.parse(bytes.toString("utf8")) as Manifest;
          return {
            name,
            model: name,
            modified_at: statSync(file).mtime.toISOString(),
            size: manifest.layers.reduce((sum, l) => sum + l.size, 0),
            digest: createHash("sha256").update(bytes).digest("hex"),
            details: modelDetails(manifest),
          };
        });
        return json(response, 200, { models });
      }
      const blob = /^\/api\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
      if (blob && request.method === "HEAD") {
        response.writeHead(existsSync(blobFile(blob[1] as string)) ? 200 : 404);
        return void response.end();
      }
      if (blob && request.method === "POST") {
        const body = await readBody(request);
        const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
        if (digest !== blob[1]) return json(response, 400, { error: "digest mismatch" });
        writeBlob(body, MEDIA.model);
        response.writeHead(201);
        return void response.end();
      }
      if (request.method === "POST" && url.pathname === "/api/show") {
        const body = JSON.parse((await readBody(request)).toString("utf8")) as { model?: string; name?: string };
        const name = body.model ?? body.name ?? "";
        const manifest = readManifest(name);
        if (manifest === undefined) return json(response, 404, { error: `model '${name}' not found` });
        const system = manifest.layers.find((l) => l.mediaType === MEDIA.system);
        return json(response, 200, {
          modelfile: `# Modelfile generated by "ollama show"\nFROM ${name}\n`,
          system: system ? readFileSync(blobFile(system.digest), "utf8") : undefined,
          details: { format: "gguf" },
        });
      }
      if (request.method === "POST" && url.pathname === "/api/pull") {
        const body = JSON.parse((await readBody(request)).toString("utf8")) as { model?: string; name?: string };
        const ref = parseModelRef(body.model ?? body.name ?? "");
        // No network here: fails as the real server does when the registry cannot be reached.
        response.writeHead(200, { "content-type": "application/x-ndjson" });
        response.write(`${JSON.stringify({ status: "pulling manifest" })}\n`);
        response.write(
          `${JSON.stringify({
            error: `pull model manifest: Get "https://${ref.host}/v2/${ref.namespace}/${ref.model}/manifests/${ref.tag ?? "latest"}": dial tcp: lookup ${ref.host}: no such host`,
          })}\n`,
        );
        return void response.end();
      }
      if (request.method === "POST" && url.pathname === "/api/create") {
        const body = JSON.parse((await readBody(request)).toString("utf8")) as { model: string } & CreateRequest;
        response.writeHead(200, { "content-type": "application/x-ndjson" });
        try {
          createModel(body.model, body, (status) => response.write(`${JSON.stringify({ status })}\n`));
        } catch (error) {
          response.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
        }
        return void response.end();
      }
      json(response, 404, { error: "404 page not found" });
    } catch (error) {
      json(response, 500, { error: (error as Error).message });
    }
  });
  const { host, port } = hostAndPort();
  // The bound port, which differs from the configured one for port 0 (test/standin/spawn.ts relies on it).
  server.listen(port, host, () => {
    const bound = server.address() as AddressInfo;
    process.stderr.write(`Listening on ${host}:${bound.port} (version ${VERSION})\n`);
  });
  // As Ollama's srvr.Close(): every connection closes at once, a stream still being generated too.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function serverAnswers(): Promise<boolean> {
  try {
    return (await fetch(`${clientBase()}/api/version`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
}

async function list(): Promise<void> {
  if (!(await serverAnswers())) fail("could not connect to ollama server, run 'ollama serve' to start it");
  const { models } = (await (await fetch(`${clientBase()}/api/tags`)).json()) as {
    models: { name: string; digest: string; size: number }[];
  };
  process.stdout.write("NAME\tID\tSIZE\tMODIFIED\n");
  for (const m of models) process.stdout.write(`${m.name}\t${m.digest.slice(0, 12)}\t${m.size} B\tnow\n`);
}

async function create(args: string[]): Promise<void> {
  const fileFlag = Math.max(args.indexOf("-f"), args.indexOf("--file"));
  const file = fileFlag >= 0 ? (args[fileFlag + 1] as string) : "Modelfile";
  const name = args.find((arg, i) => !arg.startsWith("-") && (fileFlag < 0 || i !== fileFlag + 1));
  if (!name) fail("accepts 1 arg(s), received 0");
  let request: CreateRequest;
  try {
    const parsed = parseModelfile(readFileSync(file));
    request = buildCreateRequest(parsed.commands).request;
    // Local FROM files are uploaded as blobs first, as the real client does.
    const from = request.from;
    if (from !== undefined && existsSync(path.resolve(path.dirname(file), from))) {
      const bytes = readFileSync(path.resolve(path.dirname(file), from));
      const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      await fetch(`${clientBase()}/api/blobs/${digest}`, { method: "POST", body: bytes });
      delete request.from;
    }
  } catch (error) {
    if (error instanceof ModelfileParseError || error instanceof CreateRequestError) fail(error.message);
    fail((error as Error).message);
  }
  if (!(await serverAnswers())) fail("could not connect to ollama server, run 'ollama serve' to start it");
  const response = await fetch(`${clientBase()}/api/create`, {
    method: "POST",
    body: JSON.stringify({ model: name, ...request }),
  });
  for (const line of (await response.text()).split("\n").filter(Boolean)) {
    const event = JSON.parse(line) as { status?: string; error?: string };
    if (event.error) fail(event.error);
    process.stdout.write(`${event.status}\n`);
  }
}

/** POST /api/show: undefined when the server does not have the model. */
async function showModel(model: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${clientBase()}/api/show`, { method: "POST", body: JSON.stringify({ model }) });
  const body = (await response.json()) as Record<string, unknown> & { error?: string };
  if (response.status === 404) return undefined;
  if (!response.ok) fail(body.error ?? `HTTP ${response.status}`);
  return body;
}

async function show(args: string[]): Promise<void> {
  const [model] = args.filter((a) => !a.startsWith("-"));
  if (!model) fail("accepts 1 arg(s), received 0");
  if (!(await serverAnswers())) fail("could not connect to ollama server, run 'ollama serve' to start it");
  const details = await showModel(model);
  if (details === undefined) fail(`model '${model}' not found`);
  process.stdout.write(`${details.modelfile}`);
}

async function pull(model: string): Promise<void> {
  const response = await fetch(`${clientBase()}/api/pull`, { method: "POST", body: JSON.stringify({ model }) });
  for (const line of (await response.text()).split("\n").filter(Boolean)) {
    const event = JSON.parse(line) as { status?: string; error?: string };
    if (event.error) fail(event.error);
  }
}

async function runModel(args: string[]): Promise<void> {
  const [model, prompt = ""] = args.filter((a) => !a.startsWith("-"));
  if (!model) fail("requires at least 1 arg(s), only received 0");
  if (!(await serverAnswers())) fail("could not connect to ollama server, run 'ollama serve' to start it");
  // As the real client: a model the server does not have is pulled first.
  if ((await showModel(model)) === undefined) await pull(model);
  const response = await fetch(`${clientBase()}/api/generate`, {
    method: "POST",
    body: JSON.stringify({ model, prompt, stream: false }),
  });
  const body = (await response.json()) as { error?: string; response?: string };
  if (!response.ok) fail(body.error ?? `HTTP ${response.status}`);
  if (body.response) process.stdout.write(`${body.response}\n`);
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case "serve":
    serve();
    break;
  case "list":
  case "ls":
    await list();
    break;
  case "create":
    await create(rest);
    break;
  case "run":
    await runModel(rest);
    break;
  case "show":
    await show(rest);
    break;
  case "--version":
  case "-v":
    process.stdout.write(`ollama version is ${VERSION}\n`);
    break;
  default:
    fail(`unknown command "${command}" for "ollama"`);
}
