import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCreateRequest, CreateRequestError } from "../../src/modelfile/create-request.js";
import { ModelfileParseError, parseModelfile } from "../../src/modelfile/parser.js";

interface UpstreamCase {
  name: string;
  input: string;
  commands?: [string, string][];
  parse_error?: string;
  create_request_parameters?: Record<string, unknown>;
  create_request_error?: string;
  create_request_warnings?: string[];
}

const cases: UpstreamCase[] = JSON.parse(
  readFileSync(new URL("../fixtures/upstream/ollama-parser-cases.json", import.meta.url), "utf8"),
);

function utf16le(text: string): Uint8Array {
  const bytes = Buffer.alloc(2 + text.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < text.length; i++) bytes.writeUInt16LE(text.charCodeAt(i), 2 + i * 2);
  return bytes;
}

function inputOf(c: UpstreamCase): Uint8Array {
  return c.name.startsWith("TestParseFileUTF16") ? utf16le(c.input) : new TextEncoder().encode(c.input);
}

describe("Ollama's own parser test cases (parser_test.go @ fb30760)", () => {
  it("has the whole upstream table", () => {
    expect(cases.length).toBe(80);
  });

  for (const c of cases) {
    it(c.name, () => {
      if (c.parse_error !== undefined) {
        let caught: unknown;
        try {
          parseModelfile(inputOf(c));
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ModelfileParseError);
        expect((caught as ModelfileParseError).ollamaMessage).toBe(c.parse_error);
        return;
      }
      const parsed = parseModelfile(inputOf(c));
      expect(parsed.commands.map((command) => [command.name, command.args])).toEqual(c.commands);

      if (c.create_request_error !== undefined) {
        expect(() => buildCreateRequest(parsed.commands)).toThrow(CreateRequestError);
        expect(() => buildCreateRequest(parsed.commands)).toThrow(c.create_request_error);
        return;
      }
      const { request, warnings } = buildCreateRequest(parsed.commands);
      expect(warnings).toEqual(c.create_request_warnings ?? []);
      // As JSON: int and float parameters are typed values that JSON-encode as Ollama's client encodes them.
      if (c.create_request_parameters !== undefined) {
        expect(JSON.parse(JSON.stringify(request.parameters))).toEqual(c.create_request_parameters);
      }
    });
  }
});
