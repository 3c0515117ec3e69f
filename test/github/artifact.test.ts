/**
 * The action's report artifact against the stand-in of GitHub's artifact service (test/standin/github-artifacts.ts),
 * driving the real @actions/artifact: the upload is checked the way a later job sees it (the library's own
 * download and unzip), a name used twice is replaced, and every failure ends as a warning, never an error.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { describe, expect, it } from "vitest";
import { uploadReports } from "../../src/github/artifact.js";
import { actionsRuntime } from "../standin/actions-runtime.js";
import {
  ARTIFACT_TWIRP_PREFIX,
  type ArtifactService,
  type ArtifactServiceFaults,
  startArtifactService,
} from "../standin/github-artifacts.js";

const runtime = actionsRuntime([
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_RESULTS_URL",
  "GITHUB_SERVER_URL",
  "GITHUB_WORKSPACE",
  "ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY",
  "ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS",
]);
const NAME = "ollama-build-report";

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  runtime.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A started stand-in whose environment (one job's) is in process.env, and two reports to upload. */
async function setup(faults: ArtifactServiceFaults = {}) {
  const service = await startArtifactService({ faults });
  runtime.onCleanup(() => service.close());
  Object.assign(process.env, service.env);
  const root = tempDir("report-artifact-");
  const reports = {
    "report.json": '{"models":["qwen3-tools"],"verdict":"pass","note":"déjà vu ✓"}\n',
    "smoke/latency.json": `${JSON.stringify({ p95_ms: Array.from({ length: 400 }, (_, i) => i) })}\n`,
  };
  for (const [file, content] of Object.entries(reports)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  const files = Object.keys(reports).map((file) => path.join(root, file));
  return { service, root, files, reports };
}

/** The artifact as a later job gets it: the library's download, unzipped, as relative path -> content. */
async function download(service: ArtifactService, name: string): Promise<Record<string, string>> {
  const artifact = service.artifacts().find((a) => a.name === name);
  if (!artifact) throw new Error(`no artifact ${name}`);
  const out = tempDir("report-download-");
  const { digestMismatch } = await runtime.withRealTimers(() =>
    new DefaultArtifactClient().downloadArtifact(artifact.id, { path: out, expectedHash: artifact.digest }),
  );
  expect(digestMismatch).toBe(false);
  const tree: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else tree[path.relative(out, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(out);
  return tree;
}

const artifactCalls = (service: ArtifactService) =>
  service.requests
    .filter((r) => r.startsWith(`POST ${ARTIFACT_TWIRP_PREFIX}`))
    .map((r) => r.slice(`POST ${ARTIFACT_TWIRP_PREFIX}`.length));

describe("the report artifact in a workflow", () => {
  it("uploads the reports as one zip holding exactly them, byte for byte", async () => {
    const { service, root, files, reports } = await setup();
    const uploaded = await uploadReports(NAME, files, root);

    const [artifact] = service.artifacts();
    expect(service.artifacts()).toHaveLength(1);
    expect(artifact?.name).toBe(NAME);
    expect(uploaded).toEqual({ id: artifact?.id, size: artifact?.size });
    expect(artifactCalls(service)).toEqual(["ListArtifacts", "CreateArtifact", "FinalizeArtifact"]);
    // The Azure SDK stages blocks and commits a block list, whatever the size.
    expect(service.requests.filter((r) => r.startsWith("PUT ")).map((r) => r.replace(/^.*\?/, ""))).toEqual([
      expect.stringMatching(/^comp=block&blockid=/),
      "comp=blocklist",
    ]);
    expect(await download(service, NAME)).toEqual(reports);
    expect(runtime.warnings()).toEqual([]);
  });

  it("a second upload of the name in the same run replaces the first, from this job or another", async () => {
    const { service, root, files, reports } = await setup();
    await uploadReports(NAME, files, root);
    const first = service.artifacts()[0];

    writeFileSync(path.join(root, "report.json"), '{"verdict":"fail"}\n');
    const second = await uploadReports(NAME, files, root);
    expect(artifactCalls(service).slice(3)).toEqual([
      "ListArtifacts",
      "ListArtifacts", // deleteArtifact looks the name up itself
      "DeleteArtifact",
      "CreateArtifact",
      "FinalizeArtifact",
    ]);
    expect(service.artifacts().map((a) => a.id)).toEqual([second?.id]);
    expect(second?.id).not.toBe(first?.id);
    expect(await download(service, NAME)).toEqual({ ...reports, "report.json": '{"verdict":"fail"}\n' });

    Object.assign(process.env, service.jobEnv());
    const third = await uploadReports(NAME, files.slice(0, 1), root);
    const [replaced] = service.artifacts();
    expect(service.artifacts()).toHaveLength(1);
    expect(replaced).toMatchObject({ id: third?.id, name: NAME });
    expect(replaced?.job).not.toBe(first?.job);
    expect(await download(service, NAME)).toEqual({ "report.json": '{"verdict":"fail"}\n' });
    expect(runtime.warnings()).toEqual([]);
  });

  it("the library alone refuses a name taken in the run with GitHub's 409, which is why uploadReports deletes first", async () => {
    const { root, files } = await setup();
    const client = new DefaultArtifactClient();
    await client.uploadArtifact(NAME, files, root);
    await expect(client.uploadArtifact(NAME, files, root)).rejects.toThrow(
      "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: " +
        "an artifact with this name already exists on the workflow run",
    );
  });

  it("a 5xx on every try of CreateArtifact: a warning naming the artifact, no artifact, and no throw", async () => {
    const { service, root, files } = await setup({ failCreateArtifact: 5 });
    expect(await uploadReports(NAME, files, root)).toBeUndefined();
    expect(artifactCalls(service)).toEqual(["ListArtifacts", ...Array(5).fill("CreateArtifact")]);
    expect(runtime.warnings()).toEqual([
      `artifact ${NAME} was not uploaded: Failed to CreateArtifact: Failed to make request after 5 attempts: ` +
        "Failed request: (500) Internal Server Error: internal server error",
    ]);
    expect(service.artifacts()).toEqual([]);
    expect(service.pending()).toEqual([]);
  });

  it("a 5xx the library's retry gets past: uploaded, no warning", async () => {
    const { service, root, files, reports } = await setup({ failCreateArtifact: 2 });
    expect(await uploadReports(NAME, files, root)).toBeDefined();
    expect(await download(service, NAME)).toEqual(reports);
    expect(runtime.warnings()).toEqual([]);
  });

  it("blob storage refusing the upload: a warning, and the artifact is never finalized", async () => {
    const { service, root, files } = await setup({ failUploads: 100 });
    expect(await uploadReports(NAME, files, root)).toBeUndefined();
    expect(runtime.warnings()).toEqual([
      expect.stringMatching(new RegExp(`^artifact ${NAME} was not uploaded: .*unable to receive requests`)),
    ]);
    expect(service.artifacts()).toEqual([]);
    expect(service.pending()).toEqual([NAME]);
  });

  it("no artifact service at the results URL: a warning, at once (the 404 is not retried)", async () => {
    const { service, root, files } = await setup({ absent: true });
    expect(await uploadReports(NAME, files, root)).toBeUndefined();
    expect(artifactCalls(service)).toEqual(["ListArtifacts"]);
    expect(runtime.warnings()).toEqual([
      `artifact ${NAME} was not uploaded: Failed to ListArtifacts: Received non-retryable error: ` +
        `Failed request: (404) Not Found: no handler for path "${ARTIFACT_TWIRP_PREFIX}ListArtifacts"`,
    ]);
  });

  it("not an action in a workflow (the runner gives ACTIONS_RUNTIME_TOKEN to actions only): a warning", async () => {
    const root = tempDir("report-artifact-");
    writeFileSync(path.join(root, "report.json"), "{}");
    expect(await uploadReports(NAME, [path.join(root, "report.json")], root)).toBeUndefined();
    expect(runtime.warnings()).toEqual([
      `artifact ${NAME} was not uploaded: Unable to get the ACTIONS_RUNTIME_TOKEN env variable`,
    ]);
  });
});
