/** The CLI (runCli from src/, as the `ollama-build` process runs it), end to end on real files. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess, commitAll, makeProject, writeFiles } from "../helpers.js";
import { localServer } from "../local-server.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

const cli = (cwd: string, ...args: string[]) => cliInProcess(cwd, args);

describe("ollama-build CLI", () => {
  it("parse prints Ollama's representation", async () => {
    const root = makeProject({ "x.modelfile": "FROM qwen3:4b\nPARAMETER stop a\nMESSAGE user Oi\n" });
    const result = await cli(root, "parse", "x.modelfile");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      commands: [
        ["model", "qwen3:4b"],
        ["stop", "a"],
        ["message", "user: Oi"],
      ],
    });
  });

  it("parse --create-request types the parameters", async () => {
    const root = makeProject({ "x.modelfile": "FROM a\nPARAMETER num_ctx 8\nPARAMETER stop a\nPARAMETER stop b\n" });
    const result = await cli(root, "parse", "--create-request", "x.modelfile");
    expect(JSON.parse(result.stdout)).toEqual({ from: "a", parameters: { num_ctx: 8, stop: ["a", "b"] } });
  });

  it("parse exits 1 with Ollama's error text and our position", async () => {
    const root = makeProject({ "x.modelfile": "FROM a\nBAD x\n" });
    const result = await cli(root, "parse", "x.modelfile");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("x.modelfile:2:1: (line 2): command must be one of");
  });

  it("lint on the bundled modelfiles exits 0", async () => {
    const result = await cli(repositoryRoot, "lint");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("0 errors, 0 warnings in 3 Modelfiles");
  });

  it("lint on the seed's Modelfile exits 1 naming the PARAMETER /no_think line", async () => {
    const result = await cli(repositoryRoot, "lint", "test/fixtures/seed/theo-voice-agent.modelfile");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^test\/fixtures\/seed\/theo-voice-agent\.modelfile:45:11: error syntax: .*PARAMETER \/no_think/m,
    );
  });

  it("lint --format json and --format github", async () => {
    const root = makeProject({ "modelfiles/a.modelfile": "FROM qwen3\nPARAMETER temperature hot\n" });
    const json = await cli(root, "lint", "--format", "json");
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.files[0].path).toBe("modelfiles/a.modelfile");
    expect(
      parsed.files[0].diagnostics.map((d: { code: string; line: number; severity: string }) => [
        d.severity,
        d.line,
        d.code,
      ]),
    ).toEqual([
      ["warning", 1, "thinking-enabled"],
      ["warning", 1, "untagged-base"],
      ["error", 2, "invalid-parameter-value"],
    ]);
    const github = await cli(root, "lint", "--format", "github");
    expect(github.stdout).toContain(
      "::error file=modelfiles/a.modelfile,line=2,col=1,title=invalid-parameter-value::invalid float value [hot]",
    );
  });

  it("lint --format github names files from the repository's root for a project in a subfolder", async () => {
    const repository = makeProject({
      "voice/models/modelfiles/a.modelfile": "FROM qwen3:4b\nPARAMETER temperature hot\n",
    });
    await commitAll(repository, "project in a subfolder");
    const github = await cli(path.join(repository, "voice"), "lint", "--root", "models", "--format", "github");
    expect(github.stdout).toContain(
      "::error file=voice/models/modelfiles/a.modelfile,line=2,col=1,title=invalid-parameter-value::invalid float value [hot]",
    );
  });

  it("plan --format json prints the three models with hashes that do not depend on the run", async () => {
    const first = await cli(repositoryRoot, "plan", "--format", "json");
    const second = await cli(repositoryRoot, "plan", "--format", "json");
    expect(first.exitCode).toBe(0);
    const plan = JSON.parse(first.stdout);
    expect(plan.models.map((m: { name: string }) => m.name)).toEqual([
      "theo-classifier",
      "theo-transcribe",
      "theo-voice-agent",
    ]);
    for (const model of plan.models) expect(model.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(second.stdout).models).toEqual(plan.models);
  });

  it("plan --base-ref: a comment edit changes nothing, a SYSTEM edit changes one model", async () => {
    const files = Object.fromEntries(
      ["theo-voice-agent", "theo-classifier", "theo-transcribe"].map((n) => [
        `modelfiles/${n}.modelfile`,
        readFileSync(path.join(repositoryRoot, "modelfiles", `${n}.modelfile`), "utf8"),
      ]),
    );
    const root = makeProject(files);
    const base = await commitAll(root, "base");
    const hashesBefore = JSON.parse((await cli(root, "plan", "--format", "json")).stdout).models;

    writeFiles(root, {
      "modelfiles/theo-classifier.modelfile": `# comment\n${files["modelfiles/theo-classifier.modelfile"]}`,
    });
    const commentOnly = JSON.parse((await cli(root, "plan", "--format", "json", "--base-ref", base)).stdout);
    expect(commentOnly.models.map((m: { changed: boolean }) => m.changed)).toEqual([false, false, false]);
    expect(commentOnly.models.map((m: { hash: string }) => m.hash)).toEqual(
      hashesBefore.map((m: { hash: string }) => m.hash),
    );

    const classifier = files["modelfiles/theo-classifier.modelfile"] as string;
    writeFiles(root, {
      "modelfiles/theo-classifier.modelfile": classifier.replace('SYSTEM """', 'SYSTEM """Atenção. '),
    });
    const systemEdit = JSON.parse((await cli(root, "plan", "--format", "json", "--base-ref", base)).stdout);
    expect(systemEdit.models.map((m: { name: string; changed: boolean }) => [m.name, m.changed])).toEqual([
      ["theo-classifier", true],
      ["theo-transcribe", false],
      ["theo-voice-agent", false],
    ]);
  });

  it("plan text output and a warning without a base", async () => {
    const result = await cli(repositoryRoot, "plan");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^MODEL\s+FILE\s+FROM\s+HASH\s+CHANGED/m);
    expect(result.stderr).toContain("warning: no base ref");
  });

  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["lint", "--format", "xml"], /--format must be one of text, json, github/],
    [["lint", "--nope"], /Unknown option '--nope'/],
    [[], /Usage: ollama-build/],
  ])("bad usage %j exits 2", async (args, message) => {
    const result = await cli(repositoryRoot, ...args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("a malformed ollama-build.yml names the file and the setting", async () => {
    const root = makeProject({ "ollama-build.yml": "client-api: grpc\n", "modelfiles/a.modelfile": "FROM a:1\n" });
    const result = await cli(root, "lint");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/ollama-build\.yml:1: client-api: /);
  });

  it("ollama-build.yml can name models", async () => {
    const root = makeProject({
      "ollama-build.yml": "models:\n  modelfiles/a.modelfile: { name: agent }\n",
      "modelfiles/a.modelfile": "FROM llama3.2:3b\n",
    });
    const plan = JSON.parse((await cli(root, "plan", "--format", "json")).stdout);
    expect(plan.models.map((m: { name: string }) => m.name)).toEqual(["agent"]);
  });
});

describe("the CLI facing broken servers and hostile files", () => {
  const serve = (handle: (url: string, response: import("node:http").ServerResponse) => void) =>
    localServer((request, response) => handle(request.url ?? "", response));
  const cases = (root: string) =>
    writeFiles(root, {
      "c.yaml":
        "defaults: { model: m }\ncases:\n  - id: a\n    messages: [{ role: user, content: oi }]\n    expect: { content: { contains: [oi] } }\n",
    });

  it.each([
    [
      "answers /api/version's headers and then nothing",
      (response: import("node:http").ServerResponse) => response.writeHead(200).flushHeaders(),
      /\/api\/version: no complete answer within \d+ ms$/,
    ],
    [
      "answers /api/tags with models that are not a list",
      (response: import("node:http").ServerResponse) => response.end('{"models": 5, "version": "1"}'),
      /\/api\/tags: an unexpected answer: models: /,
    ],
  ])(
    "a server that %s: one line naming the request, exit 1, no stack",
    async (_, answer, message) => {
      const server = await serve((_, response) => answer(response));
      try {
        const root = makeProject({});
        cases(root);
        const result = await cli(root, "smoke", "--endpoint", server.url, "--cases", "c.yaml", "--ready-timeout", "1");
        expect(result.exitCode).toBe(1);
        const lines = result.stderr.trim().split("\n");
        expect(lines.at(-1)).toMatch(message);
        expect(result.stderr).not.toMatch(/TypeError|\n\s+at /);
      } finally {
        server.close();
      }
    },
    60_000,
  );

  it("a refused connection names the URL and ECONNREFUSED", async () => {
    const server = await serve(() => {});
    server.close();
    const root = makeProject({});
    cases(root);
    const result = await cli(root, "smoke", "--endpoint", server.url, "--cases", "c.yaml");
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^ollama-build: GET http:\/\/127\.0\.0\.1:\d+\/api\/version: fetch failed: .*ECONNREFUSED/,
    );
  });

  it("a model registry that refuses: lock names the URL and the cause, and writes no ollama.lock", async () => {
    const server = await serve(() => {});
    server.close();
    const root = makeProject({
      "modelfiles/a.modelfile": "FROM qwen3:4b\n# ollama-build-ignore: thinking-enabled -- test\n",
    });
    const result = await cli(root, "lock", "--ollama-registry", server.url);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      /^ollama-build: GET http:\/\/127\.0\.0\.1:\d+\/v2\/library\/qwen3\/manifests\/4b failed: connect ECONNREFUSED/,
    );
    expect(existsSync(path.join(root, "ollama.lock"))).toBe(false);
  }, 60_000);

  it("a Docker engine that does not answer: one line saying so, no container, no stack", async () => {
    const root = makeProject({});
    cases(root);
    const result = await cliInProcess(root, ["smoke", "--image", "x/y:1", "--cases", "c.yaml", "--gpus", "none"], {
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      "ollama-build: x/y:1: docker run failed: Cannot connect to the Docker daemon at unix:///nonexistent/docker.sock. Is the docker daemon running?",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("text output shows control characters escaped: no name can start a workflow command", async () => {
    const root = makeProject({ "modelfiles/a.modelfile": 'FROM """qwen3:4b\n::error::pwned"""\nFROM qwen3:4b\n' });
    const result = await cli(root, "lint");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('FROM "qwen3:4b\\n::error::pwned" is not a model name Ollama accepts');
    expect(result.stdout.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });
});
