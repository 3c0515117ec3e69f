import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/render.js";
import { buildReport } from "./fixtures.js";

describe("renderReport: what the push cost", () => {
  it("says how much the push uploaded where the base commit's image was", () => {
    const body = renderReport({
      marker: "ollama-build",
      build: buildReport({
        pushedAgainstBase: { image: "ghcr.io/acme/voice:m-0123456789ab", bytes: 9875, blobs: 2 },
      }),
    });
    expect(body).toContain(
      "Pushed 9875 B where the base commit's image `ghcr.io/acme/voice:m-0123456789ab` was (2 new blobs; the registry had the rest).",
    );
    expect(renderReport({ marker: "ollama-build", build: buildReport() })).not.toContain("Pushed ");
  });
});
