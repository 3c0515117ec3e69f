import { describe, expect, it } from "vitest";
import { deliveredAs, formatBuildMarkdown, formatBuildText } from "../../src/build/format.js";
import { buildReport } from "../report/fixtures.js";

const show = (digest: string) => `<${digest.slice(0, 12)}>`;

describe("what a build says it did with the image", () => {
  it.each([
    ["push", "pushed as <sha256:4e074>"],
    ["load", "loaded into the local engine"],
    [undefined, "made as <sha256:4e074>"],
  ] as const)("output %s → %s", (output, said) => {
    expect(deliveredAs(buildReport({ output }), show)).toBe(said);
  });

  it("a loaded image is never called pushed, in text or markdown", () => {
    const loaded = buildReport({ output: "load", recipe: "FROM x\n" });
    expect(formatBuildText(loaded)).toContain("output  loaded into the local engine");
    expect(formatBuildMarkdown(loaded)).toContain("built and loaded into the local engine.");
    expect(`${formatBuildText(loaded)}${formatBuildMarkdown(loaded)}`).not.toMatch(/push/i);
  });

  it("a pushed image names its digest", () => {
    const pushed = buildReport({ recipe: "FROM x\n" });
    expect(formatBuildText(pushed)).toContain("output  pushed to the registry");
    expect(formatBuildMarkdown(pushed)).toContain(
      "built and pushed as `sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce`.",
    );
  });
});
