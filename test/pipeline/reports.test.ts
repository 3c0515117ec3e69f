/** The saved-report policy: what is reused, which baseline is taken, what is saved under which key. */
import { describe, expect, it } from "vitest";
import { baselineFor, reusableSmoke, saveSmoke } from "../../src/pipeline/reports.js";
import type { Plan } from "../../src/plan/plan.js";
import type { ReportStore, SavedReport } from "../../src/report/saved-reports.js";
import type { SmokeReport } from "../../src/smoke/types.js";
import { smokeReport } from "../report/fixtures.js";

/** A store in memory: `commit:<sha>`, `image:<tag>:<settings>`; a lookup without settings takes the last saved. */
function memoryStore(initial: Record<string, SmokeReport> = {}) {
  const entries = new Map(Object.entries(initial));
  const saved: string[] = [];
  const found = (key: string | undefined, what: string): SavedReport => {
    const report = key === undefined ? undefined : entries.get(key);
    return report === undefined ? { missing: `no report was saved for ${what}` } : { report };
  };
  const store: ReportStore = {
    forCommit: async (sha, what) => found(`commit:${sha}`, what),
    forImage: async (tag, what, settings) =>
      found(
        settings === undefined
          ? [...entries.keys()].filter((k) => k.startsWith(`image:${tag}:`)).at(-1)
          : `image:${tag}:${settings}`,
        what,
      ),
    saveForCommit: async (sha, report) => {
      saved.push(`commit:${sha}`);
      entries.set(`commit:${sha}`, report);
    },
    saveForImage: async (tag, settings, report) => {
      saved.push(`image:${tag}:${settings}`);
      entries.set(`image:${tag}:${settings}`, report);
    },
  };
  return { store, saved };
}

const plan = (overrides: Partial<Plan> = {}): Plan => ({
  image: "r/m",
  imageHash: "h",
  imageTag: "r/m:m-head",
  tags: ["m-head"],
  models: [],
  base: "bbbbbbbbbb",
  baseImageTag: "r/m:m-base",
  ...overrides,
});

describe("saved reports", () => {
  const head = smokeReport();
  const older = { ...smokeReport(), passed: false };

  it.each([
    ["the base commit's own report first", { "commit:bbbbbbbbbb": head, "image:r/m:m-base:s1": older }, plan(), head],
    ["else the base image's newest", { "image:r/m:m-base:s1": older }, plan(), older],
    [
      "never this pull request's own image",
      { "image:r/m:m-head:s1": older },
      plan({ baseImageTag: "r/m:m-head" }),
      undefined,
    ],
    ["nothing saved", {}, plan(), undefined],
  ])("baseline: %s", async (_, initial, given, expected) => {
    const { store } = memoryStore(initial);
    const baseline = await baselineFor(store, given);
    if (expected === undefined)
      expect(baseline).toEqual({ missing: expect.stringContaining("the base commit bbbbbbb") });
    else expect(baseline).toEqual({ report: expected });
  });

  it("no base commit at all: says so, asks the store nothing", async () => {
    const { store } = memoryStore({ "commit:x": head });
    expect(await baselineFor(store, plan({ base: undefined }))).toEqual({ missing: "no base commit to compare with" });
  });

  it("reuses only the report of the same image with the same settings", async () => {
    const { store } = memoryStore({ "image:r/m:m-head:s1": head });
    expect(await reusableSmoke(store, "r/m:m-head", "s1")).toBe(head);
    expect(await reusableSmoke(store, "r/m:m-head", "s2")).toBeUndefined();
  });

  it.each([
    [
      "a push to main: under the commit and the image",
      { sha: "c1" },
      false,
      true,
      ["commit:c1", "image:r/m:m-head:s1"],
    ],
    ["a pull request: under the image only", { sha: "c1", pullRequest: 7 }, false, true, ["image:r/m:m-head:s1"]],
    ["a reused report: under the commit only", { sha: "c1" }, true, true, ["commit:c1"]],
    ["a failed smoke: never under the image", { sha: "c1" }, false, false, ["commit:c1"]],
  ])("saves %s", async (_, source, reused, passed, keys) => {
    const { store, saved } = memoryStore();
    await saveSmoke(store, { smoke: { ...head, passed }, reused, plan: plan(), settings: "s1", ...source });
    expect(saved).toEqual(keys);
  });
});
