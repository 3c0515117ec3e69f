import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRINTABLE_RANGES } from "../../src/modelfile/unicode-printable.js";

describe("the table of code points Go's strconv.IsPrint accepts (Unicode 15.0)", () => {
  it("has Go 1.23's 148,998 printable code points in 711 ranges", () => {
    let count = 0;
    for (let i = 0; i < PRINTABLE_RANGES.length; i += 2) {
      count += (PRINTABLE_RANGES[i + 1] as number) - (PRINTABLE_RANGES[i] as number) + 1;
    }
    expect([count, PRINTABLE_RANGES.length / 2]).toEqual([148_998, 711]);
  });

  it("is the table its generator writes from @unicode/unicode-15.0.0", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "printable-")), "unicode-printable.ts");
    const root = path.resolve(import.meta.dirname, "../..");
    execFileSync(process.execPath, [path.join(root, "scripts/generate-unicode-printable.mjs"), out]);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(path.join(root, "src/modelfile/unicode-printable.ts"), "utf8"));
  });
});
