/**
 * Generates a tiny GGUF "lookup" model from a behaviour file: architecture `llama`, GPT-2 byte-level BPE,
 * F32, one layer. Its weights are set by hand so that decoding is a table lookup:
 *
 * - every token's embedding is one-hot (n_embd ≥ n_vocab);
 * - the layer's attention and feed-forward outputs are zero, so the residual stream at a position is its own
 *   token's one-hot vector: the next token depends on the current token alone;
 * - the output head gives each token's successor a logit of MARGIN·√n_embd (≈ 90) and every other token 0:
 *   keyword → first piece of its reply, piece → next piece, last piece → end of sequence, anything else → the
 *   default reply. A keyword with two replies has two successors with equal logits: sampling picks either.
 *
 * The prompt the TEMPLATE renders ends with the last message's text, so its last word picks the reply. Tool
 * calls are written as `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, the form the template's
 * `{{ if .ToolCalls }}` block shows Ollama, so Ollama's own tool parser turns them into `tool_calls`.
 */
import { type Behaviour, type Reply, repliesFor, replyPieces, replyText } from "./behaviour.js";
import { type GgufTensor, type GgufValue, writeGguf } from "./gguf.js";

/** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for code points from 256 on. */
function byteToUnicode(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(printable(b) ? b : next++);
  return table;
}

const BYTE_CHARS = byteToUnicode();

/** Text in the vocabulary's byte-level form (a space is "Ġ"). */
export const byteLevel = (text: string) => [...Buffer.from(text, "utf8")].map((b) => BYTE_CHARS[b]).join("");

const BOS = "<|lookup_begin|>";
const EOS = "<|lookup_end|>";
/** Logit margin per unit of the normalised one-hot (which is √n_embd after RMS norm). */
const MARGIN = 5;
const HEAD_DIM = 64;
const FEED_FORWARD = 32;
const CONTEXT_LENGTH = 4096;
const TOKEN_NORMAL = 1;
const TOKEN_CONTROL = 3;

/**
 * The template: tools are named (Ollama allows tools only with a template that uses `.Tools`), then every
 * message's text after a space, an assistant's tool calls in the `<tool_call>` form.
 */
export const LOOKUP_TEMPLATE = [
  "{{- if .Tools }}Tools:{{ range .Tools }} {{ .Function.Name }}{{ end }}.{{ end }}",
  "{{- range .Messages }} {{ if .ToolCalls }}<tool_call>{{ range .ToolCalls }}" +
    '{"name": "{{ .Function.Name }}", "arguments": {{ .Function.Arguments }}}{{ end }}</tool_call>' +
    "{{ else }}{{ .Content }}{{ end }}{{ end }}",
].join("\n");

export interface LookupModel {
  gguf: Buffer;
  /** What the output head says follows a token: the ids with the top logit (two for a tied keyword). */
  successors: (token: number) => number[];
  /** The token ids of the text tokens, by their text (not byte-level): `" suporte"`, `"<tool_call>"`. */
  tokenOf: (text: string) => number | undefined;
  /** A token's text (byte-level decoded); the end-of-sequence token is "". */
  textOf: (token: number) => string;
  eos: number;
  /** A Modelfile for `ollama create`: FROM the GGUF file (named `ggufFile`), with the template. */
  modelfile: (ggufFile: string) => string;
  tokens: string[];
  /** The exact text each keyword's (and the default) reply decodes to. */
  replies: (lastMessage: string) => string[];
}

/**
 * Places every reply's pieces as tokens with one successor each: a piece already used with another successor
 * is joined with its neighbour until none conflicts.
 */
function placeReplies(behaviour: Behaviour, successors: Map<string, Set<string>>): Map<Reply, string> {
  const firstPiece = new Map<Reply, string>();
  const replies = [behaviour.default, ...Object.values(behaviour.replies).flat()];
  for (const reply of replies) {
    let pieces = replyPieces(reply);
    for (let i = 0; i < pieces.length; ) {
      const piece = pieces[i] as string;
      const next = pieces[i + 1] ?? EOS;
      const known = successors.get(piece);
      if (known === undefined || (known.size === 1 && known.has(next))) {
        i += 1;
        continue;
      }
      if (pieces.length === 1) {
        throw new Error(`the reply ${JSON.stringify(replyText(reply))} is already a token with another successor`);
      }
      // Join with the next piece, or (the last piece) with the one before; then check again from the start.
      const at = i + 1 < pieces.length ? i : i - 1;
      pieces = [...pieces.slice(0, at), `${pieces[at]}${pieces[at + 1]}`, ...pieces.slice(at + 2)];
      i = 0;
    }
    pieces.forEach((piece, i) => {
      successors.set(piece, new Set([pieces[i + 1] ?? EOS]));
    });
    firstPiece.set(reply, pieces[0] as string);
  }
  return firstPiece;
}

/** The merges that build each keyword token, character by character: `Ġ s`, `Ġs u`, … */
function keywordMerges(keywords: readonly string[]): string[] {
  const merges = new Set<string>();
  for (const keyword of keywords) {
    const chars = [...byteLevel(` ${keyword}`)];
    let left = chars[0] as string;
    for (const char of chars.slice(1)) {
      merges.add(`${left} ${char}`);
      left += char;
    }
  }
  return [...merges];
}

export function buildLookupModel(behaviour: Behaviour): LookupModel {
  const keywords = Object.keys(behaviour.replies);
  // Successors by token text (model text, not byte-level); pieces are placed after the keywords.
  const successors = new Map<string, Set<string>>();
  for (const keyword of keywords) successors.set(` ${keyword}`, new Set());
  const firstPiece = placeReplies(behaviour, successors);
  for (const keyword of keywords) {
    const replies = behaviour.replies[keyword] as Reply | Reply[];
    successors.set(
      ` ${keyword}`,
      new Set((Array.isArray(replies) ? replies : [replies]).map((r) => firstPiece.get(r) as string)),
    );
  }

  const byteTokens = BYTE_CHARS;
  const textTokens = [...successors.keys()].map(byteLevel).filter((t) => !byteTokens.includes(t));
  const tokens = [...byteTokens, BOS, EOS, ...textTokens];
  if (new Set(tokens).size !== tokens.length) throw new Error("the vocabulary has a token twice");
  const id = new Map(tokens.map((token, index) => [token, index]));
  const idOfText = (text: string) => (text === EOS ? (id.get(EOS) as number) : (id.get(byteLevel(text)) as number));
  const nVocab = tokens.length;
  const nEmbd = Math.ceil(nVocab / HEAD_DIM) * HEAD_DIM;

  const embedding = new Float32Array(nEmbd * nVocab);
  for (let t = 0; t < nVocab; t++) embedding[t * nEmbd + t] = 1;
  const output = new Float32Array(nEmbd * nVocab);
  const defaultFirst = idOfText(firstPiece.get(behaviour.default) as string);
  const successorIds = new Map<number, number[]>();
  for (const [text, next] of successors) successorIds.set(idOfText(text), [...next].map(idOfText));
  for (let t = 0; t < nVocab; t++) {
    for (const next of successorIds.get(t) ?? [defaultFirst]) output[next * nEmbd + t] = MARGIN;
  }
  const ones = (n: number) => new Float32Array(n).fill(1);
  const zeros = (...shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1));
  const nHead = nEmbd / HEAD_DIM;
  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", shape: [nEmbd, nVocab], data: embedding },
    { name: "output_norm.weight", shape: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", shape: [nEmbd, nVocab], data: output },
    { name: "blk.0.attn_norm.weight", shape: [nEmbd], data: ones(nEmbd) },
    { name: "blk.0.attn_q.weight", shape: [nEmbd, nEmbd], data: zeros(nEmbd, nEmbd) },
    { name: "blk.0.attn_k.weight", shape: [nEmbd, HEAD_DIM], data: zeros(nEmbd, HEAD_DIM) },
    { name: "blk.0.attn_v.weight", shape: [nEmbd, HEAD_DIM], data: zeros(nEmbd, HEAD_DIM) },
    { name: "blk.0.attn_output.weight", shape: [nEmbd, nEmbd], data: zeros(nEmbd, nEmbd) },
    { name: "blk.0.ffn_norm.weight", shape: [nEmbd], data: ones(nEmbd) },
    { name: "blk.0.ffn_gate.weight", shape: [nEmbd, FEED_FORWARD], data: zeros(nEmbd, FEED_FORWARD) },
    { name: "blk.0.ffn_up.weight", shape: [nEmbd, FEED_FORWARD], data: zeros(nEmbd, FEED_FORWARD) },
    { name: "blk.0.ffn_down.weight", shape: [FEED_FORWARD, nEmbd], data: zeros(FEED_FORWARD, nEmbd) },
  ];
  const u32 = (value: number): GgufValue => ({ type: "uint32", value });
  const f32 = (value: number): GgufValue => ({ type: "float32", value });
  const metadata = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: behaviour.name }],
    ["general.file_type", u32(0)],
    ["llama.context_length", u32(CONTEXT_LENGTH)],
    ["llama.embedding_length", u32(nEmbd)],
    ["llama.block_count", u32(1)],
    ["llama.feed_forward_length", u32(FEED_FORWARD)],
    ["llama.attention.head_count", u32(nHead)],
    ["llama.attention.head_count_kv", u32(1)],
    ["llama.attention.layer_norm_rms_epsilon", f32(1e-5)],
    ["llama.rope.freq_base", f32(10_000)],
    ["llama.rope.dimension_count", u32(HEAD_DIM)],
    ["llama.vocab_size", u32(nVocab)],
    ["tokenizer.ggml.model", { type: "string", value: "gpt2" }],
    ["tokenizer.ggml.pre", { type: "string", value: "gpt-2" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: tokens }],
    [
      "tokenizer.ggml.token_type",
      { type: "int32[]", value: tokens.map((t) => (t === BOS || t === EOS ? TOKEN_CONTROL : TOKEN_NORMAL)) },
    ],
    ["tokenizer.ggml.merges", { type: "string[]", value: keywordMerges(keywords) }],
    ["tokenizer.ggml.bos_token_id", u32(id.get(BOS) as number)],
    ["tokenizer.ggml.eos_token_id", u32(id.get(EOS) as number)],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: false }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ]);
  const unicodeToByte = new Map(BYTE_CHARS.map((char, byte) => [char, byte]));
  return {
    gguf: writeGguf(metadata, tensors),
    successors: (token) => {
      let best = -Infinity;
      let ids: number[] = [];
      for (let next = 0; next < nVocab; next++) {
        const logit = output[next * nEmbd + token] as number;
        if (logit > best) [best, ids] = [logit, [next]];
        else if (logit === best) ids.push(next);
      }
      return ids;
    },
    tokenOf: (text) => id.get(byteLevel(text)),
    textOf: (token) => {
      const text = tokens[token] as string;
      if (text === BOS || text === EOS) return "";
      return Buffer.from([...text].map((char) => unicodeToByte.get(char) as number)).toString("utf8");
    },
    eos: id.get(EOS) as number,
    modelfile: (ggufFile) => `FROM ${ggufFile}\nTEMPLATE """${LOOKUP_TEMPLATE}"""\n`,
    tokens,
    replies: (lastMessage) => repliesFor(behaviour, lastMessage).map(replyText),
  };
}
