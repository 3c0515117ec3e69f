/**
 * `command: all` end to end through the action bundle, as a workflow runs it: the real Docker Engine and
 * BuildKit, the local registry, the stand-in Ollama image (whose baked script answers the shipped Theo
 * cases), and stand-ins for GitHub's REST API, cache service and artifact service. A push to main saves its
 * report; a pull request based on it is compared with it in a sticky comment; a re-run updates that comment;
 * a fork's read-only token only warns; `command: report` posts a fork's saved report from workflow_run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../action/runner.js";
import { commitAll, copyShippedCases, makeProject } from "../helpers.js";
import { type GithubApi, startGithubApi } from "../standin/github-api.js";
import { type ArtifactService, startArtifactService } from "../standin/github-artifacts.js";
import { type CacheService, startCacheService } from "../standin/github-cache.js";
import { makeBuildProject } from "./build-project.js";
import { requireRegistry } from "./services.js";
import { standinImage } from "./standin-image.js";

const _repositoryRoot = path.resolve(import.meta.dirname, "../..");
const TOKEN = "ghs_standin_token";
const REPOSITORY = "Theo/voice-models";
const BASE_SHA = "b".repeat(40);
const HEAD_SHA = "c".repeat(40);
const MARKER = "<!-- ollama-build report: ollama-build -->";

/**
 * The runner gives one results-service URL for the cache and the artifacts; the two stand-ins are separate
 * servers, so Twirp calls are routed to them by service (their blob URLs are absolute and need no routing).
 */
async function startResultsRouter(services: Record<string, string>) {
  const server = createServer((req, res) => {
    const service = /^\/twirp\/([^/]+)\//.exec(req.url ?? "")?.[1] ?? "";
    const target = services[service];
    if (target === undefined) {
      res.writeHead(404).end();
      return;
    }
    const upstream = httpRequest(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let api: GithubApi;
let artifacts: ArtifactService;
let cache: CacheService;
let router: Awaited<ReturnType<typeof startResultsRouter>>;
let ollamaImage: string;

beforeAll(async () => {
  await requireRegistry();
  ollamaImage = await standinImage();
  artifacts = await startArtifactService();
  // The cache accepts the job's runtime token, as the one results service does on a runner.
  cache = await startCacheService({ token: artifacts.env.ACTIONS_RUNTIME_TOKEN as string });
  router = await startResultsRouter({
    "github.actions.results.api.v1.CacheService": cache.url,
    "github.actions.results.api.v1.ArtifactService": artifacts.url,
  });
  api = await startGithubApi({
    token: TOKEN,
    pulls: { [`${REPOSITORY}#7`]: { headSha: HEAD_SHA, baseSha: BASE_SHA } },
  });
}, 300_000);

/** A Theo project with the shipped cases, and the runner environment its runs get (temp dirs live per test). */
async function theoProject() {
  const project = await makeBuildProject(ollamaImage, {
    modelfiles: (ns) => ({
      "modelfiles/theo-voice-agent.modelfile": `FROM ${ns}/qwen3:4b\nPARAMETER num_ctx 4096\nSYSTEM """Você é a Theo."""\n`,
      "modelfiles/theo-classifier.modelfile": `FROM ${ns}/functiongemma:270m\nSYSTEM Classifique.\n`,
    }),
  });
  copyShippedCases(project.root);
  const env = {
    ...cache.env,
    ...artifacts.env,
    ACTIONS_CACHE_SERVICE_V2: "True",
    ACTIONS_RESULTS_URL: router.url,
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_RUN_ID: "4242",
    DOCKER_CONFIG: makeProject({}),
  };
  const runAll = (trigger: { event: object; env: Record<string, string> }, extra: Record<string, string> = {}) =>
    runAction(project.root, { ...INPUTS, ...extra }, trigger.event, {
      ...env,
      ...trigger.env,
      RUNNER_TEMP: makeProject({}),
    });
  return { project, env, runAll };
}

afterAll(async () => {
  await Promise.all([api?.stop(), router?.close(), cache?.close(), artifacts?.close()]);
});

const INPUTS = { command: "all", "github-token": TOKEN, repeat: "1", cache: "false", gpus: "none" };

const onMain = (sha: string) => ({
  event: { before: "0".repeat(40) },
  env: { GITHUB_EVENT_NAME: "push", GITHUB_SHA: sha, GITHUB_REF: "refs/heads/main" },
});
const onPullRequest = (sha: string, baseSha = BASE_SHA) => ({
  event: { pull_request: { number: 7, base: { sha: baseSha } } },
  env: { GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: sha, GITHUB_REF: "refs/pull/7/merge" },
});

const prComments = () => api.comments.filter((c) => c.issueNumber === 7);

describe("command: all", () => {
  it("main saves its report; a pull request is compared with it in one sticky comment, updated on a re-run", async () => {
    const { project, runAll } = await theoProject();
    // A real base commit: the pull request's plan compares with it, and finds the image it built.
    const base = await commitAll(project.root, "base");
    const result = await runAll(onMain(base));
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.outputs["smoke-passed"]).toBe("true");
    expect(result.outputs.skipped).toBe("false");
    for (const stage of ["lint", "build", "smoke", "report"])
      expect(result.stdout).toMatch(new RegExp(`^${stage}: \\d+ ms$`, "m"));
    expect(cache.entries().map((e) => e.key)).toEqual(
      expect.arrayContaining([
        `ollama-build-report-v1-${base}`,
        expect.stringMatching(/^ollama-build-report-v1-image-m-[0-9a-f]{12}-[0-9a-f]{12}$/),
      ]),
    );
    expect(artifacts.artifacts().map((a) => a.name)).toContain("ollama-build-report");
    const dir = result.outputs["report-dir"] as string;
    const body = readFileSync(path.join(dir, "comment.md"), "utf8");
    expect(result.summary.trim()).toBe(body.trim());
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("✅");
    expect(body).toContain("no base commit to compare with");
    expect(JSON.parse(readFileSync(path.join(dir, "smoke-report.json"), "utf8")).passed).toBe(true);
    expect(api.requests).toEqual([]);

    // The pull request changes the voice agent: a new image, built and smoked.
    const file = path.join(project.root, "modelfiles/theo-voice-agent.modelfile");
    writeFileSync(file, readFileSync(file, "utf8").replace("Você é a Theo.", "Você é a Theo, da central."));
    const first = await runAll(onPullRequest(HEAD_SHA, base));
    expect(first.exitCode).toBe(0);
    expect(first.outputs.skipped).toBe("false");
    expect(prComments()).toHaveLength(1);
    const comment = prComments()[0];
    expect(comment?.body.startsWith(MARKER)).toBe(true);
    // The base commit's image is in the registry: both images are smoked here, side by side, and compared.
    expect(comment?.body).toContain("Paired with the base commit's image on this runner (below).");
    expect(comment?.body).toMatch(
      /`[^`]+:m-[0-9a-f]{12}` \(base\) and this commit's image ran the same requests on this runner: both servers up/,
    );
    expect(comment?.body).toMatch(/\| TTFT \(median\) \| [\d.]+ ms \| [\d.]+ ms \| [-+±][\d.]+ ms \[/);
    expect(first.stdout).toMatch(/paired smoke of .* \(base\) and .* \(head\): interleaved/);
    const pairedReport = JSON.parse(
      readFileSync(path.join(first.outputs["report-dir"] as string, "smoke-report.json"), "utf8"),
    );
    expect(pairedReport.paired.cases_tested).toBe(pairedReport.cases.length);
    // Only the voice agent's layer (and the image config and manifest) went up: kilobytes.
    expect(comment?.body).toMatch(
      /Pushed \d+(\.\d+)? (B|KiB) where the base commit's image `[^`]+:m-[0-9a-f]{12}` was \(2 new blobs;/,
    );
    expect(comment?.body).toContain("`theo-voice-agent`");
    expect(comment?.body).toContain("```mermaid");
    expect(first.summary.trim()).toBe(comment?.body.trim());

    // A re-run: the image exists, nothing is built or smoked, and the comment keeps the image's smoke figures.
    const rerun = await runAll(onPullRequest(HEAD_SHA, base));
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.skipped).toBe("true");
    expect(rerun.stdout).toMatch(/smoke: skipped, .*showing its report from/);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.id).toBe(comment?.id);
    expect(prComments()[0]?.body).toContain("build skipped");
    expect(prComments()[0]?.body).toContain("`theo-voice-agent`");

    // Only the cases changed: the image exists, but the new cases are run against it.
    const cases = path.join(project.root, "test/smoke/theo-classifier.yaml");
    writeFileSync(cases, `${readFileSync(cases, "utf8")}# one more line\n`);
    const casesOnly = await runAll(onPullRequest(HEAD_SHA, base), { paired: "off" });
    expect(casesOnly.exitCode).toBe(0);
    expect(casesOnly.outputs.skipped).toBe("true");
    expect(casesOnly.stdout).toMatch(/server answered after \d+ ms/);
    expect(prComments()).toHaveLength(1);
    // Not paired: the saved report of the base commit is the baseline, and the comment says where it came from.
    expect(prComments()[0]?.body).toMatch(
      new RegExp(
        `Not paired \\(paired comparison is off\\): compared with the smoke report of the base commit \`${base.slice(0, 7)}\`, measured on Linux .*, \\d+ CPUs on \\d{4}-\\d{2}-\\d{2}\\.`,
      ),
    );

    // A lint error stops before the build, and the comment stops saying ✅.
    writeFileSync(file, `${readFileSync(file, "utf8")}PARAMETER /no_think\n`);
    const broken = await runAll(onPullRequest(HEAD_SHA, base));
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toMatch(/::error title=syntax,file=modelfiles\/theo-voice-agent\.modelfile/);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.body).toContain("❌");
    expect(prComments()[0]?.body).toContain("1 error(s) in the Modelfiles");
  });

  it("a fork's read-only token only warns; command: report then posts its saved report from workflow_run", async () => {
    const { project, env, runAll } = await theoProject();
    api.setFaults({ readOnly: true });
    try {
      const result = await runAll(onPullRequest(HEAD_SHA), { "comment-id": "fork" });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/::warning::the pull request comment was not posted: .*403.*workflow_run/);
      expect(api.comments.filter((c) => c.body.includes("ollama-build:fork"))).toEqual([]);
      expect(artifacts.artifacts().map((a) => a.name)).toContain("ollama-build-report-fork");
    } finally {
      api.setFaults({ readOnly: false });
    }

    // The workflow_run workflow downloads the fork's artifact and posts it, for the commit that run built only.
    const fork = await runAll(onPullRequest(HEAD_SHA), { "comment-id": "fork", comment: "false" });
    const reportDir = fork.outputs["report-dir"] as string;
    // The artifact is the fork's to write: its markdown is not used, and its report's strings are escaped.
    writeFileSync(path.join(reportDir, "comment.md"), "✅ All good, merge it! @theo");
    const smokeFile = path.join(reportDir, "smoke-report.json");
    const forged = JSON.parse(readFileSync(smokeFile, "utf8"));
    forged.cases[0].failures = ["@theo [click](https://example.invalid) <img src=x>"];
    writeFileSync(smokeFile, JSON.stringify(forged));
    const post = (headSha: string) =>
      runAction(
        project.root,
        { command: "report", "github-token": TOKEN, "comment-id": "fork", "report-dir": reportDir },
        { workflow_run: { head_sha: headSha, event: "pull_request" } },
        { ...env, GITHUB_EVENT_NAME: "workflow_run", RUNNER_TEMP: makeProject({}) },
      );
    const mismatched = await post("d".repeat(40));
    expect(mismatched.exitCode).toBe(0);
    expect(mismatched.stdout).toMatch(
      /::warning::the saved report names pull request #7, whose head is ccccccc, not the commit the run built \(ddddddd\)/,
    );
    expect(api.comments.filter((c) => c.body.includes("ollama-build:fork"))).toEqual([]);

    const posted = await post(HEAD_SHA);
    expect(posted.exitCode).toBe(0);
    const forkComments = api.comments.filter((c) =>
      c.body.startsWith("<!-- ollama-build report: ollama-build:fork -->"),
    );
    expect(forkComments).toHaveLength(1);
    const body = forkComments[0]?.body ?? "";
    expect(body).toContain("These figures come from the workflow run of pull request #7 (from a fork)");
    expect(body).toContain("`theo-voice-agent`");
    expect(body).not.toContain("merge it");
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/(^|[^\u2060])@theo/);
    expect(body).not.toContain("](https://example.invalid)");
    expect(posted.summary.trim()).toBe(body.trim());
  });
});
