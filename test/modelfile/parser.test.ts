import { describe, expect, it } from "vitest";
import { decodeModelfile } from "../../src/modelfile/decode.js";
import { LINE_TEXT_LIMIT, ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";

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

// Expectations from Ollama's reader (bufio ReadRune over x/text BOMOverride(UTF8 decoder)) run on the same bytes.
describe("decoding bytes as Ollama reads them", () => {
  const utf8 = (...parts: (string | number[])[]) =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));
  const BOM8 = [0xef, 0xbb, 0xbf];

  it.each([
    // Without a BOM, x/text replaces each maximal subpart of an ill-formed sequence with one U+FFFD.
    ["a truncated 3-byte sequence, no BOM", utf8("x", [0xe2, 0x82], "y"), [0x78, 0xfffd, 0x79]],
    ["a truncated 4-byte sequence at the end, no BOM", utf8("x", [0xf0, 0x9f, 0x98]), [0x78, 0xfffd]],
    ["C0 AF (overlong), no BOM", utf8([0xc0, 0xaf], "\n"), [0xfffd, 0xfffd, 0x0a]],
    ["an encoded surrogate, no BOM", utf8([0xed, 0xa0, 0x80], "A"), [0xfffd, 0xfffd, 0xfffd, 0x41]],
    ["a lone continuation byte, no BOM", utf8("a", [0x80], "b"), [0x61, 0xfffd, 0x62]],
    ["F4 90 (beyond U+10FFFF), no BOM", utf8([0xf4, 0x90, 0x80, 0x80]), [0xfffd, 0xfffd, 0xfffd, 0xfffd]],
    ["two BOMs: the second is a character", utf8([...BOM8, ...BOM8], "a"), [0xfeff, 0x61]],
    // After a UTF-8 BOM the bytes pass through untouched and ReadRune replaces each bad byte.
    ["a truncated 3-byte sequence after a BOM", utf8(BOM8, "x", [0xe2, 0x82], "y"), [0x78, 0xfffd, 0xfffd, 0x79]],
    ["a truncated 4-byte sequence after a BOM", utf8(BOM8, "x", [0xf0, 0x9f, 0x98]), [0x78, 0xfffd, 0xfffd, 0xfffd]],
    ["C0 AF after a BOM", utf8(BOM8, [0xc0, 0xaf]), [0xfffd, 0xfffd]],
    // UTF-16: trail + trail is read as one pair and becomes one U+FFFD.
    ["UTF-16LE: a lead and a trail surrogate", utf8([0xff, 0xfe, 0x00, 0xd8, 0x00, 0xdc]), [0x10000]],
    ["UTF-16LE: two trail surrogates", utf8([0xff, 0xfe, 0x00, 0xdc, 0x00, 0xdc, 0x41, 0x00]), [0xfffd, 0x41]],
    ["UTF-16LE: a lone lead surrogate", utf8([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]), [0xfffd, 0x41]],
    [
      "UTF-16LE: a trail, then a lead and a trail",
      utf8([0xff, 0xfe, 0x00, 0xdc, 0x00, 0xd8, 0x00, 0xdc]),
      [0xfffd, 0x10000],
    ],
    ["UTF-16LE: a lone lead and an odd byte", utf8([0xff, 0xfe, 0x00, 0xd8, 0x41]), [0xfffd, 0xfffd]],
    ["UTF-16BE: two trail surrogates", utf8([0xfe, 0xff, 0xdc, 0x00, 0xdf, 0xff, 0x00, 0x42]), [0xfffd, 0x42]],
  ])("%s", (_, bytes, expected) => {
    expect(decodeModelfile(bytes)).toEqual(expected);
  });

  it("keeps the replacement characters in values", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("FROM a\nSYSTEM x"), 0xe2, 0x82, 0x79, 0x0a]);
    expect(commandsOf(bytes)).toEqual([
      ["model", "a"],
      ["system", "x\ufffdy"],
    ]);
    expect(commandsOf(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toEqual([
      ["model", "a"],
      ["system", "x\ufffd\ufffdy"],
    ]);
  });
});

describe("parser: printable characters by Go's Unicode 15.0 tables", () => {
  it("drops characters Unicode assigned after 15.0, whatever this engine's Unicode version", () => {
    expect(commandsOf("FROM a\nSYSTEM x\u{1FAE9}\u{2FFC}y\u{1FAE8}\n")).toEqual([
      ["model", "a"],
      ["system", "xy\u{1FAE8}"],
    ]);
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
    const error = parseError("FROM a\n  PARAMETER /no_think\n");
    expect([error.lineText, error.lineLength, error.atEndOfLine]).toEqual(["  PARAMETER /no_think", 21, false]);
    expect(parseError("FROM a\nPARAMETER num_ctx\n").atEndOfLine).toBe(true);
  });

  it.each([100_000, 300_000, 1_000_000])("reports an error on a line of %i characters", (length) => {
    const line = `PARAMETER ${"a".repeat(length)}/x`;
    const error = parseError(`FROM a\n${line}\n`);
    expect(error.ollamaMessage).toBe(`unexpected EOF: ${"a".repeat(length)}`);
    expect(error.position).toEqual({ line: 2, column: length + 11 });
    expect(error.lineText).toBe(`${line.slice(0, LINE_TEXT_LIMIT)}…`);
    expect([error.lineLength, error.atEndOfLine]).toEqual([length + 12, false]);
  });

  it("keeps a line of exactly the limit whole", () => {
    const line = `PARAMETER ${"a".repeat(LINE_TEXT_LIMIT - 12)}/x`;
    expect(parseError(`FROM a\n${line}\n`).lineText).toBe(line);
  });
});
