/**
 * `update-lock`'s pure parts (the lock's diff, the pull request's title and body) and its decisions, driven with
 * fake stages: nothing moved → nothing built; the current image found → paired; not found → smoked alone and
 * said so; a build error → the body's failure.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { BuildReport } from "../../src/build/report.js";
import type { LintResult } from "../../src/lint/stage.js";
import type { LockResult } from "../../src/lock/stage.js";
import {
  commitMessage,
  type LockChange,
  lockChanges,
  lockSection,
  PULL_REQUEST_BODY_LIMIT,
  pullRequestTitle,
  type UpdateLockStages,
  updateLock,
  updateLockBody,
} from "../../src/pipeline/update-lock.js";
import type { PlannedImage } from "../../src/plan/stage.js";
import { type Lock, type LockEntry, serializeLock, sha256Digest } from "../../src/project/lockfile.js";
import type { Workspace } from "../../src/project/workspace.js";
import { commentMarker } from "../../src/report/render.js";
import type { SmokeTarget } from "../../src/smoke/stage.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { makeProject } from "../helpers.js";
import { buildReport, caseReport, plan, smokeReport } from "../report/fixtures.js";

const MiB = 1024 * 1024;
const QWEN = "registry.ollama.ai/library/qwen3:4b";
const GEMMA = "registry.ollama.ai/library/functiongemma:270m";
const MIRROR = "127.0.0.1:5000/lib-1/qwen3:4b";

/** A lock entry whose manifest lists a config of 100 bytes and layers of the given sizes. */
function entry(ref: string, layers: number[], salt = ""): LockEntry {
  const blob = (size: number, i: number) => ({
    mediaType: "application/vnd.ollama.image.model",
    digest: sha256Digest(`${ref}${salt}${i}`),
    size,
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { ...blob(100, -1), mediaType: "application/vnd.docker.container.image.v1+json" },
    layers: layers.map(blob),
  });
  const [registry = "", namespace = "", rest = ""] = ref.split("/");
  const [model, tag = "latest"] = rest.split(":");
  return { registry, repository: `${namespace}/${model}`, tag, digest: sha256Digest(manifest), manifest };
}

const lockOf = (entries: Record<string, LockEntry>): Lock => ({ version: 1, models: entries });
const digestOf = (e: LockEntry) => e.digest;
const short = (e: LockEntry) => e.digest.slice(0, 19);

describe("lockChanges", () => {
  it("lists what moved, was pinned or dropped, with the manifests' sizes, by reference", () => {
    const qwen = entry(QWEN, [2 * MiB]);
    const qwenNew = entry(QWEN, [3 * MiB], "new");
    const gemma = entry(GEMMA, [MiB]);
    const mirror = entry(MIRROR, [10]);
    const changes = lockChanges(
      lockOf({ [QWEN]: qwen, [GEMMA]: gemma }),
      lockOf({ [QWEN]: qwenNew, [MIRROR]: mirror }),
    );
    expect(changes).toEqual([
      { ref: MIRROR, after: { digest: digestOf(mirror), bytes: 110 } },
      { ref: GEMMA, before: { digest: digestOf(gemma), bytes: MiB + 100 } },
      {
        ref: QWEN,
        before: { digest: digestOf(qwen), bytes: 2 * MiB + 100 },
        after: { digest: digestOf(qwenNew), bytes: 3 * MiB + 100 },
      },
    ]);
  });

  it("is empty when every digest is the same: nothing moved", () => {
    const locked = lockOf({ [QWEN]: entry(QWEN, [MiB]), [GEMMA]: entry(GEMMA, [MiB]) });
    expect(lockChanges(locked, structuredClone(locked))).toEqual([]);
  });
});

describe("the pull request's title, commit message and lock section", () => {
  const qwen = entry(QWEN, [2 * MiB]);
  const qwenNew = entry(QWEN, [3 * MiB], "new");
  const moved: LockChange = {
    ref: QWEN,
    before: { digest: qwen.digest, bytes: 2 * MiB },
    after: { digest: qwenNew.digest, bytes: 3 * MiB },
  };

  it("names one change, or counts several", () => {
    expect(pullRequestTitle([moved])).toBe("ollama.lock: qwen3:4b moved upstream");
    expect(pullRequestTitle([moved, { ...moved, ref: GEMMA }])).toBe("ollama.lock: 2 base models moved upstream");
    expect(pullRequestTitle([moved, { ref: MIRROR, after: moved.after as never }])).toBe(
      "ollama.lock: 2 base models changed",
    );
    expect(commitMessage([moved])).toBe(
      `ollama.lock: qwen3:4b moved upstream\n\nRe-resolved by ollama-build update-lock:\nqwen3:4b: ${short(qwen)} -> ${short(qwenNew)}\n`,
    );
  });

  it("has one row per change: the short name, both digests and the size change", () => {
    const section = lockSection(
      [moved, { ref: MIRROR, after: { digest: qwenNew.digest, bytes: 512 } }],
      "ghcr.io/acme/voice:m-aaaaaaaaaaaa",
      "ghcr.io/acme/voice:m-bbbbbbbbbbbb",
      "main",
    );
    expect(section).toContain(
      "main's image `ghcr.io/acme/voice:m-aaaaaaaaaaaa` was built with the current lock; `ghcr.io/acme/voice:m-bbbbbbbbbbbb` is built with this one.",
    );
    expect(section.split("\n").filter((l) => l.startsWith("|"))).toEqual([
      "| Base model | Pinned now | Upstream | Size |",
      "| --- | --- | --- | --- |",
      `| \`qwen3:4b\` | \`${short(qwen)}\` | \`${short(qwenNew)}\` | 2.0 MiB → 3.0 MiB (+1.0 MiB) |`,
      `| \`127.0.0.1:5000/lib-1/qwen3:4b\` | — | \`${short(qwenNew)}\` | — → 512 B |`,
    ]);
  });

  it("counts the rows past 100 instead of listing them", () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ ...moved, ref: `${QWEN}-${i}` }));
    const rows = lockSection(many, "a:m-1", "a:m-2", "main")
      .split("\n")
      .filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(100);
    expect(lockSection(many, "a:m-1", "a:m-2", "main")).toContain("| …and 30 more (see ollama.lock's diff) | | | |");
  });

  it("fits the body under GitHub's limit, the lock section whole and first, however long the report", () => {
    const failing = Array.from({ length: 3_000 }, (_, i) =>
      caseReport({ id: `case-${i}`, passed: false, passes: 0, failures: ["x".repeat(250)] }),
    );
    const head = smokeReport({ passed: false, failures: ["case-0 failed"], cases: failing });
    const section = lockSection([moved], "a:m-1", "a:m-2", "main");
    const body = updateLockBody(section, { marker: commentMarker("update-lock"), head, plan: plan() });
    expect([...body].length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT);
    expect(body.startsWith(`${section}\n\n`)).toBe(true);
    expect(body).toContain("Cut to fit");
    expect(body).toContain("❌ Failed");
  });
});

/** Fake stages around a real project folder (for ollama.lock): each call is recorded in order. */
function fakeStages(options: {
  before: Lock;
  after: Lock;
  beforeText?: string;
  lintErrors?: number;
  mainExists?: boolean;
  paired?: "auto" | "off";
  build?: () => BuildReport;
}) {
  const root = makeProject({});
  const lockFile = path.join(root, "ollama.lock");
  const beforeText = options.beforeText ?? serializeLock(options.before);
  writeFileSync(lockFile, beforeText);
  const calls: string[] = [];
  let locked = false;
  const mainPlan = plan({ imageTag: "ghcr.io/acme/voice:m-aaaaaaaaaaaa" });
  const newPlan = plan({ imageTag: "ghcr.io/acme/voice:m-bbbbbbbbbbbb" });
  const stages: UpdateLockStages = {
    options: {
      stage: (name, work) => {
        calls.push(`stage ${name}`);
        return work();
      },
      log: (line) => calls.push(`log ${line}`),
      paired: options.paired ?? "auto",
    },
    workspace: async () => ({ root }) as Workspace,
    lint: async () =>
      ({
        counts: { error: options.lintErrors ?? 0, warning: 0 },
        lock: { status: "ok", text: beforeText, lock: options.before },
      }) as unknown as LintResult,
    plan: async () => {
      calls.push("plan");
      return { plan: locked ? newPlan : mainPlan } as PlannedImage;
    },
    lock: async (_update, { keepUnchanged }) => {
      calls.push("lock");
      locked = true;
      // As runLock does: the re-resolved lock is written, canonical, unless it is kept because nothing changed.
      const unchanged = serializeLock(options.after) === serializeLock(options.before);
      if (!(keepUnchanged && unchanged)) writeFileSync(lockFile, serializeLock(options.after));
      return { lock: options.after, added: [], updated: [], removed: [] } as LockResult;
    },
    build: async () => {
      calls.push("build");
      return options.build?.() ?? buildReport({ plan: newPlan, digest: `sha256:${"d".repeat(64)}` });
    },
    imageExists: async (image) => {
      calls.push(`exists ${image}`);
      return options.mainExists ?? true;
    },
    smoke: async (target: SmokeTarget, baseImage?: string) => {
      calls.push(`smoke ${"image" in target ? target.image : target.endpoint} beside ${baseImage ?? "nothing"}`);
      return smokeReport() as SmokeReport;
    },
  };
  return { stages, calls, lockFile };
}

describe("updateLock", () => {
  const qwen = entry(QWEN, [2 * MiB]);
  const qwenNew = entry(QWEN, [3 * MiB], "new");
  const before = lockOf({ [QWEN]: qwen });
  const after = lockOf({ [QWEN]: qwenNew });

  it("nothing moved: nothing is built, and ollama.lock keeps its bytes", async () => {
    // A lock written by hand (not canonical): re-resolving must not rewrite it.
    const handWritten = JSON.stringify(before);
    const { stages, calls, lockFile } = fakeStages({ before, after: before, beforeText: handWritten });
    const result = await updateLock(stages);
    expect(result).toEqual({ moved: false, lock: before });
    expect(calls).toEqual([
      "stage lint",
      "plan",
      "stage lock",
      "lock",
      "log ollama.lock: no base model moved (1 re-resolved)",
    ]);
    expect(readFileSync(lockFile, "utf8")).toBe(handWritten);
  });

  it("a moved tag: the current image is planned before the lock moves, then built, found and smoked beside", async () => {
    const { stages, calls } = fakeStages({ before, after });
    const result = await updateLock(stages, {
      branchOf: "main",
      runUrl: "https://github.com/acme/voice/actions/runs/1",
    });
    expect(calls.filter((c) => !c.startsWith("log"))).toEqual([
      "stage lint",
      "plan",
      "stage lock",
      "lock",
      "plan",
      "stage build",
      "build",
      "exists ghcr.io/acme/voice:m-aaaaaaaaaaaa",
      "stage smoke",
      "smoke ghcr.io/acme/voice:m-bbbbbbbbbbbb beside ghcr.io/acme/voice:m-aaaaaaaaaaaa",
    ]);
    expect(calls).toContain(`log qwen3:4b moved upstream: ${qwen.digest} → ${qwenNew.digest}`);
    if (!result.moved) throw new Error("expected a move");
    expect(result).toMatchObject({
      mainImage: "ghcr.io/acme/voice:m-aaaaaaaaaaaa",
      failures: [],
      lockText: serializeLock(after),
      title: "ollama.lock: qwen3:4b moved upstream",
    });
    expect(result.notPaired).toBeUndefined();
    // The digest the build pushed replaces the engine's.
    expect(result.smoke?.environment.image_digest).toBe(`sha256:${"d".repeat(64)}`);
    expect(result.body).toContain(`| \`qwen3:4b\` | \`${short(qwen)}\` | \`${short(qwenNew)}\` |`);
    expect(result.body).toContain("**✅ Passed**");
    expect(result.body).toContain("[Workflow run](https://github.com/acme/voice/actions/runs/1)");
  });

  it("the current image was never built: the new one is smoked alone, and the body says why", async () => {
    const { stages, calls } = fakeStages({ before, after, mainExists: false });
    const result = await updateLock(stages, { branchOf: "main" });
    expect(calls).toContain("smoke ghcr.io/acme/voice:m-bbbbbbbbbbbb beside nothing");
    if (!result.moved) throw new Error("expected a move");
    expect(result.notPaired).toBe(
      "main's image ghcr.io/acme/voice:m-aaaaaaaaaaaa was not found (never built with the current lock?)",
    );
    expect(result.body).toContain(
      "No baseline to compare with: not paired: main's image ghcr.io/acme/voice:m-aaaaaaaaaaaa was not found",
    );
  });

  it("paired off: the registry is not even asked", async () => {
    const { stages, calls } = fakeStages({ before, after, paired: "off" });
    const result = await updateLock(stages);
    expect(calls.some((c) => c.startsWith("exists"))).toBe(false);
    expect(result.moved && result.notPaired).toBe("paired comparison is off");
  });

  it("a build error is the body's failure and fails the run; nothing is smoked", async () => {
    const { stages, calls } = fakeStages({
      before,
      after,
      build: () => {
        throw new Error("ollama create theo failed: unknown model architecture");
      },
    });
    const result = await updateLock(stages);
    expect(calls.some((c) => c.startsWith("smoke"))).toBe(false);
    if (!result.moved) throw new Error("expected a move");
    expect(result.failures).toEqual(["ollama create theo failed: unknown model architecture"]);
    expect(result.body).toContain("**❌ Failed**: ollama create theo failed");
    expect(result.body).toContain("| `qwen3:4b` |");
  });

  it("a failed smoke fails the run, and the body still has the lock's diff", async () => {
    const { stages } = fakeStages({ before, after });
    stages.smoke = async () => smokeReport({ passed: false, failures: ["transfer-suporte: no tool call"] });
    const result = await updateLock(stages);
    expect(result.moved && result.failures).toEqual(["smoke failed: transfer-suporte: no tool call"]);
  });

  it("refuses a project with lint errors, or without a lock, before anything is resolved", async () => {
    const broken = fakeStages({ before, after, lintErrors: 2 });
    await expect(updateLock(broken.stages)).rejects.toThrow(
      "2 error(s) in the Modelfiles (see the annotations): fix them before updating ollama.lock",
    );
    expect(broken.calls).toEqual(["stage lint"]);
    const unlocked = fakeStages({ before, after });
    unlocked.stages.lint = async () =>
      ({ counts: { error: 0, warning: 0 }, lock: { status: "absent" } }) as unknown as LintResult;
    await expect(updateLock(unlocked.stages)).rejects.toThrow(
      "there is no ollama.lock to update: run `ollama-build lock` and commit it",
    );
    expect(unlocked.calls).toEqual(["stage lint"]);
  });
});
