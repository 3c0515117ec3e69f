import { describe, expect, it } from "vitest";
import { isImageRepository, splitImageReference } from "../../src/registry/image-ref.js";

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

describe("image repositories", () => {
  it.each([
    ["ghcr.io/theo/models", true],
    ["ghcr.io/Theo/Models", true],
    ["localhost:5000/models", true],
    ["models", true],
    ["theo/voice_models", true],
    ["ghcr.io/theo/models:latest", false],
    ["ghcr.io/theo/models@sha256:abc", false],
    ["ghcr.io//models", false],
    ["-models", false],
    ["", false],
  ])("%j: %s", (text, valid) => {
    expect(isImageRepository(text)).toBe(valid);
  });
});
