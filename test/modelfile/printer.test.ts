import { describe, expect, it } from "vitest";
import { parseModelfile } from "../../src/modelfile/parser.js";
import { formatModelfile, quoteValue } from "./printer.js";

const roundTrip = (text: string) => {
  const first = parseModelfile(text).commands;
  const second = parseModelfile(formatModelfile(first)).commands;
  return { first, second };
};

describe("printer", () => {
  it.each([
    ["plain", "qwen3:4b", "qwen3:4b"],
    ["empty", "", ""],
    ["inner spaces stay bare", "a b", "a b"],
    ["leading space needs quotes", " a", '" a"'],
    ["a line break needs quotes", "a\nb", '"a\nb"'],
    ["a value starting with a quote", '"a', '""a"'],
    ['a value starting with two quotes needs """', '""a\nb', '"""""a\nb"""'],
    ['a quote right before a line break needs """', 'a"\nb', '"""a"\nb"""'],
    ['a quote and blanks before a line break need """', 'a" \t\nb', '"""a" \t\nb"""'],
  ])("%s", (_, value, printed) => {
    expect(quoteValue(value)).toBe(printed);
  });

  it("refuses a value no quoting can carry (the parser never produces one)", () => {
    expect(() => quoteValue('a"""\nb"\nc')).toThrow(/no Modelfile quoting/);
  });

  it.each([
    [
      "instructions, parameters and messages",
      'from a\nparameter stop "<|im_end|>"\nMESSAGE user Oi: tudo bem?\nSYSTEM """ x\n"y" """\n',
    ],
    [
      "PARAMETER names that collide with instructions keep their kind",
      "FROM a\nPARAMETER message x\nPARAMETER system y\n",
    ],
    ["an empty parameter name", "FROM a\nPARAMETER  x 1\n"],
    ["CRLF inside a quoted value", 'FROM a\r\nSYSTEM """x\r\ny"""\r\n'],
  ])("parse → print → parse is stable: %s", (_, text) => {
    const { first, second } = roundTrip(text);
    expect(second.map((c) => [c.name, c.args, c.kind])).toEqual(first.map((c) => [c.name, c.args, c.kind]));
  });
});
