/** Fuzzing input: real texts with a few insertions, deletions and replacements of tokens that matter to them. */
import fc from "fast-check";

export function mutatedTexts(
  corpus: readonly string[],
  tokens: readonly string[],
  limits: { maxCut: number; maxEdits: number },
): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...corpus),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: limits.maxCut }),
          fc.constantFrom(...tokens),
          fc.constantFrom("insert", "delete", "replace"),
        ),
        { minLength: 1, maxLength: limits.maxEdits },
      ),
    )
    .map(([text, edits]) => {
      let out = text;
      for (const [at, length, token, kind] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (kind === "insert") out = out.slice(0, i) + token + out.slice(i);
        else if (kind === "delete") out = out.slice(0, i) + out.slice(i + length + 1);
        else out = out.slice(0, i) + token + out.slice(i + length + 1);
      }
      return out;
    });
}
