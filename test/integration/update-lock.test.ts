/**
 * `command: update-lock` end to end, as the scheduled workflow runs it: the real Docker Engine and BuildKit, the
 * local registry (where the test moves `qwen3:4b` by pushing new weights under the same tag, as Ollama's library
 * does), the stand-in Ollama image, and the GitHub API stand-in holding the repository. A move opens one pull
 * request whose branch carries the new ollama.lock and whose body has the lock's diff and the paired comparison
 * with main's image; a second move updates that pull request in place; a run where nothing moved writes nothing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lock } from "../../src/project/lockfile.js";
import { RegistryClient } from "../../src/registry/client.js";
import { runAction } from "../action/runner.js";
import { commitAll, copyShippedCases, git, makeProject } from "../helpers.js";
import { type GithubApi, startGithubApi } from "../standin/github-api.js";
import { buildProject, makeBuildProject, type TestProject } from "./build-project.js";
import { PLAIN_REGISTRY, requireRegistry, seedOllamaModel } from "./services.js";
import { standinImage } from "./standin-image.js";

const TOKEN = "ghs_standin_token";
const REPOSITORY = "Theo/voice-models";
const MAIN_SHA = "a".repeat(40);
const BRANCH = "ollama-build/update-lock";

const registry = new RegistryClient({ baseUrl: PLAIN_REGISTRY });

let api: GithubApi;
let project: TestProject;
let mainImage: string;

const lockFile = () => path.join(project.root, "ollama.lock");
const digestOfAgentBase = (lockText: string) =>
  Object.entries((JSON.parse(lockText) as Lock).models).find(([ref]) => ref.endsWith("/qwen3:4b"))?.[1].digest;

/** Pushes new weights under `qwen3:4b`: the tag now names another manifest. */
const moveAgentBase = (seed: string) =>
  seedOllamaModel(registry, {
    repository: `${project.namespace}/qwen3`,
    tag: "4b",
    weightBytes: 1024 * 1024,
    seed,
  });

const updateLock = () =>
  runAction(
    project.root,
    { command: "update-lock", "github-token": TOKEN, repeat: "1", cache: "false", gpus: "none" },
    { schedule: "17 5 * * 1" },
    {
      GITHUB_EVENT_NAME: "schedule",
      GITHUB_SHA: MAIN_SHA,
      GITHUB_REF: "refs/heads/main",
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_API_URL: api.url,
      GITHUB_RUN_ID: "5151",
      DOCKER_CONFIG: makeProject({}),
      RUNNER_TEMP: makeProject({}),
    },
  );

/** The methods and paths of the API calls that change something, from request `from` on. */
const writesSince = (from: number) =>
  api.requests
    .slice(from)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path}`);

/** The project, main's image and the API holding main's commit (test/helpers removes temp dirs after each test). */
async function setUp() {
  project = await makeBuildProject(await standinImage(), {
    modelfiles: (ns) => ({
      "modelfiles/theo-voice-agent.modelfile": `FROM ${ns}/qwen3:4b\nPARAMETER num_ctx 4096\nSYSTEM """Você é a Theo."""\n`,
      "modelfiles/theo-classifier.modelfile": `FROM ${ns}/functiongemma:270m\nSYSTEM Classifique.\n`,
    }),
  });
  copyShippedCases(project.root);
  await commitAll(project.root, "Theo's models");
  // main's image, as main's own workflow built it with the lock as committed.
  mainImage = (await buildProject(project)).plan.imageTag;
  api = await startGithubApi({
    token: TOKEN,
    branches: { [REPOSITORY]: { main: { sha: MAIN_SHA, files: { "ollama.lock": readFileSync(lockFile(), "utf8") } } } },
  });
}

beforeAll(requireRegistry);

afterAll(() => api?.stop());

describe("command: update-lock", () => {
  it("a moved tag opens one pull request paired with main's image; the next move updates it; no move, no write", async () => {
    await setUp();
    // A move: the image is built with the new lock, smoked beside main's, and one pull request is opened.
    const pinned = digestOfAgentBase(readFileSync(lockFile(), "utf8"));
    await moveAgentBase("first move");
    const result = await updateLock();
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    const lockText = readFileSync(lockFile(), "utf8");
    const moved = digestOfAgentBase(lockText);
    expect(moved).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(moved).not.toBe(pinned);
    expect(result.outputs["lock-moved"]).toBe("true");

    expect(api.pullRequests).toHaveLength(1);
    const [pull] = api.pullRequests;
    expect(pull).toMatchObject({
      head: BRANCH,
      base: "main",
      state: "open",
      title: `ollama.lock: ${project.namespace}/qwen3:4b moved upstream`,
    });
    expect(result.outputs["pull-request"]).toContain(`/pull/${pull?.number}`);
    // The branch is main's commit plus the new lock, byte for byte what the run wrote.
    expect(api.fileAt(REPOSITORY, BRANCH, "ollama.lock")).toBe(lockText);
    const head = api.repository(REPOSITORY).refs.get(`heads/${BRANCH}`) as string;
    expect(api.repository(REPOSITORY).commits.get(head)?.parents).toEqual([MAIN_SHA]);
    // The body: the lock's diff (old and new digests), then the comparison with main's image on this runner.
    expect(pull?.body).toContain("### ollama.lock: base models moved upstream");
    expect(pull?.body).toContain((pinned as string).slice(0, 19));
    expect(pull?.body).toContain((moved as string).slice(0, 19));
    expect(pull?.body).toContain(mainImage);
    expect(pull?.body).toContain("Paired with the base commit's image on this runner");
    // The scratch branch it committed on is gone.
    expect([...api.repository(REPOSITORY).refs.keys()].sort()).toEqual(["heads/main", `heads/${BRANCH}`]);

    // The next scheduled run checks out main again, whose lock is still the one main's image was built with.
    await git(project.root, "checkout", "--", "ollama.lock");
    await moveAgentBase("second move");
    const second = await updateLock();
    expect(second.exitCode, second.stderr + second.stdout).toBe(0);
    const secondLock = readFileSync(lockFile(), "utf8");
    expect(api.pullRequests).toHaveLength(1);
    expect(api.pullRequests[0]?.body).toContain((digestOfAgentBase(secondLock) as string).slice(0, 19));
    expect(api.fileAt(REPOSITORY, BRANCH, "ollama.lock")).toBe(secondLock);

    // main now pins what the registry serves (the pull request merged), written by hand (compact JSON): nothing
    // moved, nothing is written, and the file keeps its bytes.
    const handWritten = JSON.stringify(JSON.parse(secondLock));
    writeFileSync(lockFile(), handWritten);
    const before = api.requests.length;
    const quiet = await updateLock();
    expect(quiet.exitCode, quiet.stderr + quiet.stdout).toBe(0);
    expect(quiet.outputs["lock-moved"]).toBe("false");
    expect(quiet.outputs["pull-request"]).toBeUndefined();
    expect(writesSince(before)).toEqual([]);
    expect(readFileSync(lockFile(), "utf8")).toBe(handWritten);
    expect(quiet.stderr + quiet.stdout).not.toMatch(/buildx build|booting /);
  }, 600_000);
});
