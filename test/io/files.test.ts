import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomically } from "../../src/io/files.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("writeFileAtomically", () => {
  it("many writers of one file in one process: each rename succeeds, one whole content wins, no temp file left", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "atomic-"));
    const file = path.join(dir, "nested", "manifest");
    const contents = Array.from({ length: 50 }, (_, i) => `writer ${i} `.repeat(2_000));
    await Promise.all(contents.map((content) => writeFileAtomically(file, content)));
    expect(contents).toContain(await readFile(file, "utf8"));
    expect(await readdir(path.dirname(file))).toEqual(["manifest"]);
  });

  it("a write that fails leaves neither the target nor a temp file", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "atomic-"));
    // The target is a directory with content: the rename fails after the temp file was written.
    const target = path.join(dir, "taken");
    await writeFileAtomically(path.join(target, "inside"), "x");
    await expect(writeFileAtomically(target, "data")).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(["taken"]);
  });
});
