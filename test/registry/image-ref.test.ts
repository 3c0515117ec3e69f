import { describe, expect, it } from "vitest";
import { splitImageReference } from "../../src/registry/image-ref.js";

describe("splitImageReference", () => {
  it.each([
    ["ghcr.io/theo/models:m-0123456789ab", "ghcr.io/theo/models", "m-0123456789ab"],
    ["127.0.0.1:5000/img/models:sha-abc", "127.0.0.1:5000/img/models", "sha-abc"],
    ["127.0.0.1:5000/img/models", "127.0.0.1:5000/img/models", "latest"],
    ["ollama-build/theo:m-1", "ollama-build/theo", "m-1"],
    ["models", "models", "latest"],
  ])("%s", (reference, repository, tag) => {
    expect(splitImageReference(reference)).toEqual({ repository, tag });
  });
});
