import { describe, expect, it } from "vitest";
import { formatFloat32Json } from "../../src/modelfile/go-float32-format.js";

describe("float32 as Go's encoding/json writes it", () => {
  it.each([
    [0.1, "0.1"],
    [0.123456789012, "0.12345679"],
    [0.3, "0.3"],
    [4096.5, "4096.5"],
    [123456789, "123456790"],
    [16777216, "16777216"],
    [1e20, "100000000000000000000"],
    [1e21, "1e+21"],
    [1e38, "1e+38"],
    [3.4028234663852886e38, "3.4028235e+38"],
    [0.000001, "0.000001"],
    [9.999999e-7, "9.999999e-7"],
    [1e-7, "1e-7"],
    [1.5e-10, "1.5e-10"],
    [2 ** -149, "1e-45"],
    [2 * 2 ** -149, "3e-45"],
    [-2.5e-39, "-2.5e-39"],
    [-0, "-0"],
    [0, "0"],
  ])("%s", (value, expected) => {
    expect(formatFloat32Json(Math.fround(value))).toBe(expected);
  });
});
