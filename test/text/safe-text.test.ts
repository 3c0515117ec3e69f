import { describe, expect, it } from "vitest";
import { forWorkflowLog, hasControlCharacter, neutraliseControlCharacters } from "../../src/text/safe-text.js";

describe("text from elsewhere, made safe", () => {
  it("finds control characters, C1 included", () => {
    expect(hasControlCharacter("qwen3:4b")).toBe(false);
    for (const c of ["\n", "\r", "\u0000", "\u001b", "\u007f", "\u0085"])
      expect(hasControlCharacter(`a${c}b`)).toBe(true);
  });

  it("writes them as escapes, keeping what it is told to", () => {
    expect(neutraliseControlCharacters("a\nb\u001b[2Jc\td")).toBe("a\\nb\\u001b[2Jc\\td");
    expect(neutraliseControlCharacters("a\nb", new Set(["\n"]))).toBe("a\nb");
  });

  it("no line of a workflow log can become a command, and nothing is lost", () => {
    const hostile = "ok\n::error::pwned\n  ::stop-commands::x\r::warning::y\u001b";
    const logged = forWorkflowLog(hostile);
    expect(logged.split("\n").every((line) => !line.trimStart().startsWith("::"))).toBe(true);
    expect(logged).toBe("ok\n:\u200b:error::pwned\n  :\u200b:stop-commands::x\\r::warning::y\\u001b");
  });
});
