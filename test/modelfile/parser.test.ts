import { describe, expect, it } from "vitest";
import { ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";

const commandsOf = (input: string | Uint8Array) => parseModelfile(input).commands.map((c) => [c.name, c.args]);

function parseError(input: string | Uint8Array): ModelfileParseError {
  try {
    parseModelfile(input);
  } catch (error) {
    if (error instanceof ModelfileParseError) return error;
    throw error;
  }
  throw new Error("expected a parse error");
}

describe("parser: what Ollama accepts", () => {
  it.each([
    [
      "keywords in any case",
      "from a\nSyStEm hi\nparameter num_ctx 1\n",
      [
        ["model", "a"],
        ["system", "hi"],
        ["num_ctx", "1"],
      ],
    ],
    ["a # after the start of a line is part of the value", "FROM foo # x\n", [["model", "foo # x"]]],
    ["comments only at the start of a line (after blanks)", "  # c\nFROM a\n\t# d\n", [["model", "a"]]],
    [
      "CR alone ends lines",
      "FROM a\rSYSTEM b\r",
      [
        ["model", "a"],
        ["system", "b"],
      ],
    ],
    [
      "CRLF ends lines",
      "FROM a\r\nSYSTEM b\r\n",
      [
        ["model", "a"],
        ["system", "b"],
      ],
    ],
    [
      "line breaks inside quotes are kept verbatim",
      'FROM a\nSYSTEM """x\r\ny"""\n',
      [
        ["model", "a"],
        ["system", "x\r\ny"],
      ],
    ],
    [
      "single quotes span lines too",
      'FROM a\nSYSTEM "x\ny"\n',
      [
        ["model", "a"],
        ["system", "x\ny"],
      ],
    ],
    [
      "no escape sequences",
      'FROM a\nPARAMETER stop "\\n\\nUser:"\n',
      [
        ["model", "a"],
        ["stop", "\\n\\nUser:"],
      ],
    ],
    [
      "a tab inside a value is kept, other control characters are dropped",
      "FROM a\nSYSTEM x\ty\u0007z\n",
      [
        ["model", "a"],
        ["system", "x\tyz"],
      ],
    ],
    [
      "NBSP is not printable for Go, so it is dropped",
      "FROM a\nSYSTEM x\u00a0y\n",
      [
        ["model", "a"],
        ["system", "xy"],
      ],
    ],
    [
      "non-ASCII letters and emoji are kept",
      "FROM a\nSYSTEM Olá, tudo bem? 😀\n",
      [
        ["model", "a"],
        ["system", "Olá, tudo bem? 😀"],
      ],
    ],
    ["a non-printable first character of an instruction is dropped", "\u000bFROM a\n", [["model", "a"]]],
    ["an empty value", "FROM \n", [["model", ""]]],
    [
      "extra spaces after PARAMETER make an empty parameter name",
      "FROM a\nPARAMETER  x 1\n",
      [
        ["model", "a"],
        ["", "x 1"],
      ],
    ],
    [
      "MESSAGE keeps the role in Ollama's representation",
      "FROM a\nMESSAGE user Oi: tudo\n",
      [
        ["model", "a"],
        ["message", "user: Oi: tudo"],
      ],
    ],
    ["PARAMETER model acts as FROM (Ollama keys commands by name)", "PARAMETER model a\n", [["model", "a"]]],
    [
      "the newer instructions",
      "FROM a\nREQUIRES 0.14.0\nRENDERER qwen3\nPARSER qwen3\nDRAFT ./d\n",
      [
        ["model", "a"],
        ["requires", "0.14.0"],
        ["renderer", "qwen3"],
        ["parser", "qwen3"],
        ["draft", "./d"],
      ],
    ],
    [
      "a value followed by blanks at the end of the file",
      'FROM a\nSYSTEM """x"""   ',
      [
        ["model", "a"],
        ["system", "x"],
      ],
    ],
    ["an unclosed quote in FROM's middle is plain text", 'FROM a"b\n', [["model", 'a"b']]],
  ])("%s", (_, input, expected) => {
    expect(commandsOf(input)).toEqual(expected);
  });

  it("decodes UTF-8 with BOM, UTF-16LE and UTF-16BE with BOM", () => {
    const text = "FROM a\nSYSTEM Olá 😀\n";
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    for (let i = 2; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1] as number, be[i] as number];
    be[0] = 0xfe;
    be[1] = 0xff;
    for (const bytes of [utf8, le, be])
      expect(commandsOf(bytes)).toEqual([
        ["model", "a"],
        ["system", "Olá 😀"],
      ]);
  });

  it("replaces each invalid UTF-8 byte with one U+FFFD, as Go does", () => {
    // E2 82 is a truncated 3-byte sequence: Go gives two U+FFFD where a WHATWG decoder gives one.
    const bytes = new Uint8Array([...new TextEncoder().encode("FROM a\nSYSTEM x"), 0xe2, 0x82, 0x79, 0xc0, 0xaf, 0x0a]);
    expect(commandsOf(bytes)).toEqual([
      ["model", "a"],
      ["system", "x\ufffd\ufffdy\ufffd\ufffd"],
    ]);
  });

  it("records where each command starts and ends, counting CRLF once", () => {
    const parsed = parseModelfile('# c\r\nFROM a\r\n\r\n  SYSTEM """x\r\ny"""\r\nPARAMETER top_k 3\r\n');
    expect(parsed.commands.map((c) => [c.name, c.start.line, c.start.column, c.endLine])).toEqual([
      ["model", 2, 1, 2],
      ["system", 4, 3, 5],
      ["top_k", 6, 1, 6],
    ]);
    expect(parsed.commands.map((c) => c.kind)).toEqual(["instruction", "instruction", "parameter"]);
    expect(parsed.comments).toEqual([{ line: 1, text: " c" }]);
  });
});

describe("parser: what Ollama rejects, with Ollama's texts and our positions", () => {
  const invalidCommand =
    'command must be one of "from", "license", "template", "system", "adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"';

  it.each([
    ["an unknown instruction", "FROM a\nRUN x\n", `(line 2): ${invalidCommand}`, 2, 1, "instruction"],
    [
      "a character that cannot be in an instruction",
      "FROM a\nFR-OM b\n",
      `(line 2): ${invalidCommand}`,
      2,
      3,
      "instruction",
    ],
    // Ollama counts the line break before it sees the character: its text says line 3.
    ["an instruction without a value", "FROM a\nSYSTEM\n", `(line 3): ${invalidCommand}`, 2, 7, "instruction"],
    [
      "a MESSAGE role that does not exist",
      "FROM a\nMESSAGE bot hi\n",
      '(line 2): message role must be one of "system", "user", or "assistant"',
      2,
      1,
      "message-role",
    ],
    [
      "MESSAGE roles are case-sensitive",
      "FROM a\nMESSAGE User hi\n",
      '(line 2): message role must be one of "system", "user", or "assistant"',
      2,
      1,
      "message-role",
    ],
    ["PARAMETER /no_think", "FROM a\nPARAMETER /no_think\n", "unexpected EOF: ", 2, 11, "parameter-name"],
    ["a PARAMETER without a value", "FROM a\nPARAMETER num_ctx\n", "unexpected EOF: num_ctx", 2, 18, "parameter-name"],
    ["a MESSAGE without text", "FROM a\nMESSAGE user\n", "unexpected EOF: user", 2, 13, "message-role"],
    ["an unclosed triple quote", 'FROM a\n\nSYSTEM """x\ny\n', "unexpected EOF", 3, 1, "end-of-file"],
    ["text after a closing quote", 'FROM a\nSYSTEM "x" y\n', "unexpected EOF", 2, 1, "end-of-file"],
    ["an instruction cut off by the end of the file", "FROM a\nSYSTEM", "unexpected EOF", 2, 1, "end-of-file"],
    ["CRLF files count each line once", "FROM a\r\n\r\nRUN x\r\n", `(line 3): ${invalidCommand}`, 3, 1, "instruction"],
  ])("%s", (_, input, message, line, column, context) => {
    const error = parseError(input);
    expect(error.ollamaMessage).toBe(message);
    expect(error.kind).toBe("syntax");
    expect(error.position).toEqual({ line, column });
    expect(error.context).toBe(context);
  });

  it("reports a missing FROM as its own kind", () => {
    const error = parseError("# only a comment\nSYSTEM hi\n");
    expect([error.ollamaMessage, error.kind, error.position.line]).toEqual(["no FROM line", "missing-from", 1]);
  });

  it("quotes the offending line", () => {
    expect(parseError("FROM a\n  PARAMETER /no_think\n").lineText).toBe("  PARAMETER /no_think");
  });
});
