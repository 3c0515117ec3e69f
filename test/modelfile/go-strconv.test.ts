import { describe, expect, it } from "vitest";
import { isPrint, parseGoBool, parseGoFloat32, parseGoInt64 } from "../../src/modelfile/go-strconv.js";

describe("Go's strconv, as Ollama types PARAMETER values", () => {
  it.each([
    ["42", 42n],
    ["-1", -1n],
    ["+150", 150n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["9223372036854775808", undefined],
    ["1_000", undefined],
    ["0x10", undefined],
    ["1.0", undefined],
    [" 1", undefined],
    ["", undefined],
  ])("ParseInt(%j, 10, 64)", (input, expected) => {
    expect(parseGoInt64(input)).toBe(expected);
  });

  const MAX_FLOAT32 = 3.4028234663852886e38;
  // Expectations from Go 1.23's strconv.ParseFloat(s, 32), converted to float32 as Ollama does.
  it.each([
    ["0.5", 0.5],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["1E-2", Math.fround(0.01)],
    ["-2.5", -2.5],
    ["+1", 1],
    ["1_000.5", 1000.5],
    ["0x1p-2", 0.25],
    ["0x1.8p1", 3],
    ["0.123456789012", Math.fround(0.123456789012)],
    ["16777217", 16777216],
    ["16777219", 16777220],
    ["inf", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["3.4e38", Math.fround(3.4e38)],
    ["1e39", undefined],
    // The overflow boundary: values from 2^128 - 2^103 on round to 2^128 (half to even) and overflow.
    ["340282356779733661637539395458142568447", MAX_FLOAT32],
    ["340282356779733661637539395458142568448", undefined],
    ["-340282356779733661637539395458142568448", undefined],
    ["3.4028235677973366163753939545814256844799999e38", MAX_FLOAT32],
    ["0x1.fffffefffffffffffffffp127", MAX_FLOAT32],
    ["0x1.fffffe8p127", MAX_FLOAT32],
    ["0x1.ffffffp127", undefined],
    // The underflow boundary: 2^-150 rounds to 0 (half to even), anything above it to 2^-149.
    ["0x1p-150", 0],
    ["0x1.0000000000001p-150", 2 ** -149],
    ["7.006492321624085354618647916449580656401309709382578858785341419448955413429303e-46", 0],
    ["7.006492321624085354618647916449580656401309709382578858785341419448955413429304e-46", 2 ** -149],
    ["1e-46", 0],
    ["0x1.8p-149", 2 * 2 ** -149],
    // Go's slow path places the point after the 800th digit when more digits stand before it.
    [`1${"0".repeat(200)}e-200`, 1],
    [`1${"0".repeat(9000)}e-9000`, 0],
    [`1${"0".repeat(900)}e-790`, 1e9],
    ["_1", undefined],
    ["1_", undefined],
    ["1__0", undefined],
    ["0x1", undefined],
    ["0x", undefined],
    ["1e", undefined],
    ["1e+", undefined],
    [".", undefined],
    ["+nan", undefined],
    ["infin", undefined],
    ["0.5f", undefined],
    ["", undefined],
  ])("ParseFloat(%j, 32)", (input, expected) => {
    expect(parseGoFloat32(input)).toBe(expected);
  });

  it("ParseFloat keeps the sign of zero", () => {
    expect(Object.is(parseGoFloat32("-0"), -0)).toBe(true);
  });

  it("ParseFloat accepts NaN", () => {
    expect(parseGoFloat32("NaN")).toBeNaN();
  });

  it.each([
    ["true", true],
    ["T", true],
    ["1", true],
    ["False", false],
    ["0", false],
    ["yes", undefined],
    ["TRUE ", undefined],
    ["tRUE", undefined],
  ])("ParseBool(%j)", (input, expected) => {
    expect(parseGoBool(input)).toBe(expected);
  });
});

// Expectations from Go 1.23's strconv.IsPrint (Unicode 15.0.0), which builds Ollama.
describe("isPrint: Go's strconv.IsPrint with Unicode 15.0 tables", () => {
  it.each(
    [
      [0x20, true],
      [0x7e, true],
      [0x7f, false],
      [0xa0, false],
      [0xa1, true],
      [0xad, false],
      [0x378, false],
      [0xcf3, true], // added in Unicode 15.0
      [0x1e030, true], // added in Unicode 15.0
      [0x1fae8, true], // added in Unicode 15.0
      [0x1fae9, false], // added in Unicode 16.0
      [0x897, false], // added in Unicode 16.0
      [0x2ffc, false], // added in Unicode 15.1
      [0x31ef, false], // added in Unicode 15.1
      [0x200b, false],
      [0x2028, false],
      [0x3000, false],
      [0xfeff, false],
      [0xe000, false],
      [0xfffd, true],
      [0x1f600, true],
      [0x10ffff, false],
    ].map(([codePoint, expected]) => [(codePoint as number).toString(16).toUpperCase(), codePoint, expected] as const),
  )("U+%s", (_, codePoint, expected) => {
    expect(isPrint(codePoint as number)).toBe(expected);
  });
});
