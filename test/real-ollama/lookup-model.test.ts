/**
 * The lookup-model generator without Ollama: the GGUF file's layout (read back by a minimal reader here), the
 * vocabulary and merges, and the weights: following the output head's top logit from a keyword's token spells
 * exactly the reply the behaviour file gives it. (The real-Ollama tests load the same files in Ollama.)
 */
import { describe, expect, it } from "vitest";
import { type Behaviour, parseBehaviour, replyText } from "./behaviour.js";
import { GGUF_ALIGNMENT } from "./gguf.js";
import { buildLookupModel, byteLevel, LOOKUP_TEMPLATE } from "./lookup-model.js";

const BEHAVIOUR = parseBehaviour(
  `
name: teste
default: { text: "Não entendi." }
replies:
  suporte: { tool_call: { name: transfer_call, arguments: { department: suporte } } }
  vendas: { tool_call: { name: transfer_call, arguments: { department: vendas } } }
  horário: { text: "Das oito às dezoito, de segunda a sexta." }
  agenda: { text: "Das oito às nove." }
  talvez: [{ text: "Sim." }, { text: "Não." }]
`,
  "test.yaml",
);

/** Reads what writeGguf wrote: header, metadata (strings, numbers, arrays) and tensor infos. */
function readGguf(bytes: Buffer) {
  let at = 0;
  /** The offset of the next `n` bytes, moving past them. */
  const take = (n: number) => {
    at += n;
    return at - n;
  };
  const u32 = () => bytes.readUInt32LE(take(4));
  const u64 = () => Number(bytes.readBigUInt64LE(take(8)));
  const str = () => {
    const length = u64();
    const start = take(length);
    return bytes.subarray(start, start + length).toString("utf8");
  };
  const value = (type: number): unknown => {
    if (type === 4) return u32();
    if (type === 5) return bytes.readInt32LE(take(4));
    if (type === 6) return bytes.readFloatLE(take(4));
    if (type === 7) return bytes[take(1)] === 1;
    if (type === 8) return str();
    if (type === 9) {
      const itemType = u32();
      return Array.from({ length: u64() }, () => value(itemType));
    }
    throw new Error(`type ${type}`);
  };
  const magic = bytes.subarray(0, 4).toString("latin1");
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    metadata.set(key, value(u32()));
  }
  const tensors = Array.from({ length: tensorCount }, () => {
    const name = str();
    const shape = Array.from({ length: u32() }, () => u64());
    return { name, shape, type: u32(), offset: u64() };
  });
  const dataStart = Math.ceil(at / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  return { magic, version, metadata, tensors, dataStart };
}

/** Greedy decoding by the output head, from the token a message's last word becomes. */
function decode(model: ReturnType<typeof buildLookupModel>, first: number, pick = 0): string {
  let text = "";
  let token = model.successors(first)[pick] as number;
  for (let steps = 0; token !== model.eos; steps++) {
    if (steps > 100) throw new Error("no end of sequence");
    text += model.textOf(token);
    token = model.successors(token)[0] as number;
  }
  return text;
}

describe("the lookup model", () => {
  const model = buildLookupModel(BEHAVIOUR);

  it("is a GGUF v3 file with a llama architecture, a GPT-2 byte-level vocabulary and aligned F32 tensors", () => {
    const file = readGguf(model.gguf);
    expect(file.magic).toBe("GGUF");
    expect(file.version).toBe(3);
    expect(file.metadata.get("general.architecture")).toBe("llama");
    expect(file.metadata.get("general.alignment")).toBe(GGUF_ALIGNMENT);
    expect(file.metadata.get("tokenizer.ggml.model")).toBe("gpt2");
    const tokens = file.metadata.get("tokenizer.ggml.tokens") as string[];
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.slice(0, 256).join("")).toContain('!"#$%&');
    expect(tokens).toContain("Ġsuporte");
    expect(tokens).toContain(byteLevel(" horário"));
    const embd = file.metadata.get("llama.embedding_length") as number;
    expect(embd).toBeGreaterThanOrEqual(tokens.length);
    expect(file.metadata.get("llama.vocab_size")).toBe(tokens.length);
    for (const tensor of file.tensors) {
      expect(tensor.type).toBe(0);
      expect(tensor.offset % GGUF_ALIGNMENT).toBe(0);
    }
    const embedding = file.tensors.find((t) => t.name === "token_embd.weight");
    expect(embedding?.shape).toEqual([embd, tokens.length]);
    // The file ends with the last tensor's data.
    const last = file.tensors.at(-1) as (typeof file.tensors)[number];
    const size = last.shape.reduce((a, b) => a * b, 1) * 4;
    expect(model.gguf.length).toBe(file.dataStart + Math.ceil((last.offset + size) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT);
    expect(model.gguf.length).toBeLessThan(10 * 1024 * 1024);
  });

  it("has the merges that build each keyword, in order, from its bytes", () => {
    const merges = readGguf(model.gguf).metadata.get("tokenizer.ggml.merges") as string[];
    expect(merges.slice(0, 7)).toEqual(["Ġ s", "Ġs u", "Ġsu p", "Ġsup o", "Ġsupo r", "Ġsupor t", "Ġsuport e"]);
    expect(merges).toContain(`${byteLevel(" horÃ")} ¡`.replace(byteLevel(" horÃ"), "ĠhorÃ"));
  });

  it.each(Object.keys(BEHAVIOUR.replies))("decodes the reply to %s, and then the end of sequence", (keyword) => {
    const token = model.tokenOf(` ${keyword}`) as number;
    const replies = model.replies(`Quero ${keyword}`);
    const decoded = model.successors(token).map((_, pick) => decode(model, token, pick));
    expect(decoded).toEqual(replies);
  });

  it("a tied keyword has two successors with the same logit; the others one", () => {
    expect(model.successors(model.tokenOf(" talvez") as number)).toHaveLength(2);
    expect(model.successors(model.tokenOf(" suporte") as number)).toHaveLength(1);
  });

  it("any other last token decodes the default reply", () => {
    for (const token of [model.tokenOf("x") as number, model.tokenOf(".") as number]) {
      expect(decode(model, token)).toBe("Não entendi.");
    }
    expect(model.replies("Quero suportes")).toEqual(["Não entendi."]);
    expect(model.replies("Quero suporte.")).toEqual(["Não entendi."]);
  });

  it("joins pieces that two replies continue differently: each token has one successor", () => {
    // "Das oito às dezoito, ..." is placed first, word by word; "Das oito às nove." would need " às" to have a
    // second successor, so its pieces are joined until none is shared with another successor: here, all of it.
    expect(model.successors(model.tokenOf(" oito") as number)).toEqual([model.tokenOf(" às")]);
    expect(model.successors(model.tokenOf(" às") as number)).toEqual([model.tokenOf(" dezoito,")]);
    expect(model.successors(model.tokenOf("Das oito às nove.") as number)).toEqual([model.eos]);
    const toolCall = replyText(BEHAVIOUR.replies.suporte as Behaviour["default"]);
    expect(toolCall).toBe('<tool_call>{"name": "transfer_call", "arguments": {"department": "suporte"}}</tool_call>');
  });

  it("its template names the tools, gives a tool call's prefix and ends with the last message's text", () => {
    expect(LOOKUP_TEMPLATE).toContain("{{ if .ToolCalls }}<tool_call>");
    expect(LOOKUP_TEMPLATE).toMatch(/\.Tools/);
    expect(LOOKUP_TEMPLATE.endsWith("{{ .Content }}{{ end }}{{ end }}")).toBe(true);
  });
});

describe("behaviour files", () => {
  it.each([
    [
      "replies: { two words: { text: x } }\ndefault: { text: y }",
      /replies\.two words: a keyword is one word of letters/,
    ],
    ["default: { text: y }\nreplies: { a: [{ text: x }] }", /two replies, tied/],
    ["default: { txt: y }\nreplies: {}", /default: expected \{text: \.\.\.\} or \{tool_call/],
  ])("refuses %j", (text, message) => {
    expect(() => parseBehaviour(text, "b.yaml")).toThrow(message);
  });

  it("refuses a reply that is one piece already taken by another successor", () => {
    const behaviour: Behaviour = {
      name: "x",
      default: { text: "a b" },
      replies: { um: { text: "a" } },
    };
    expect(() => buildLookupModel(behaviour)).toThrow(/the reply "a" is already a token/);
  });
});
