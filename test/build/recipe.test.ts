import { describe, expect, it } from "vitest";
import { RecipeError, renderRecipe } from "../../src/build/recipe.js";
import { DEFAULT_RUNTIME } from "../../src/project/config.js";

const input = {
  ollamaImage: "ollama/ollama:0.32.15",
  layers: [],
  runtime: { ...DEFAULT_RUNTIME, warmup: [] },
  runtimeContext: "ollama-build-runtime-0123456789",
  labels: {},
};

describe("the recipe", () => {
  it("takes only an image reference as its FROM, however it got here", () => {
    expect(() => renderRecipe({ ...input, ollamaImage: "ollama/ollama:1\nRUN echo pwned" })).toThrow(RecipeError);
  });

  it("keeps every comment on one line, whatever a name holds", () => {
    const recipe = renderRecipe({
      ...input,
      layers: [{ name: "evil\nRUN echo pwned #", kind: "custom", context: "model-evil-0", files: [], bytes: 0 }],
    });
    expect(recipe).toContain("# custom model evil\\nRUN echo pwned #: 0 files, 0 bytes");
    expect(recipe.split("\n").filter((line) => line.startsWith("RUN"))).toEqual([]);
  });
});
