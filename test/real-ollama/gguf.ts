/**
 * A GGUF (version 3) writer: the metadata key/value pairs and the tensors, laid out as ggml reads them
 * (little-endian; tensor data in tensor-info order, each tensor aligned to `general.alignment`). Only what the
 * generated test models need: scalars, strings, arrays of them, and F32 tensors.
 */

export const GGUF_ALIGNMENT = 32;

/** GGUF metadata value types. */
const ValueType = {
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
} as const;

/** A metadata value with its GGUF type (JavaScript numbers alone do not say which). */
export type GgufValue =
  | { type: "uint32"; value: number }
  | { type: "int32"; value: number }
  | { type: "float32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "int32[]"; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: ne0 (the fastest-moving dimension) first. */
  shape: readonly number[];
  data: Float32Array;
}

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }

  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }

  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }

  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }

  bytes(value: Uint8Array): void {
    this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }

  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: ByteWriter, value: GgufValue): void {
  switch (value.type) {
    case "uint32":
      out.u32(ValueType.Uint32);
      out.u32(value.value);
      break;
    case "int32":
      out.u32(ValueType.Int32);
      out.i32(value.value);
      break;
    case "float32":
      out.u32(ValueType.Float32);
      out.f32(value.value);
      break;
    case "bool":
      out.u32(ValueType.Bool);
      out.bytes(Uint8Array.of(value.value ? 1 : 0));
      break;
    case "string":
      out.u32(ValueType.String);
      out.string(value.value);
      break;
    case "string[]":
      out.u32(ValueType.Array);
      out.u32(ValueType.String);
      out.u64(value.value.length);
      for (const item of value.value) out.string(item);
      break;
    case "int32[]":
      out.u32(ValueType.Array);
      out.u32(ValueType.Int32);
      out.u64(value.value.length);
      for (const item of value.value) out.i32(item);
      break;
  }
}

const GGML_TYPE_F32 = 0;

export function writeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const out = new ByteWriter();
  out.bytes(Buffer.from("GGUF", "latin1"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.size + 1);
  out.string("general.alignment");
  writeValue(out, { type: "uint32", value: GGUF_ALIGNMENT });
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (elements !== tensor.data.length) {
      throw new Error(
        `tensor ${tensor.name}: shape ${tensor.shape.join("×")} holds ${elements}, data has ${tensor.data.length}`,
      );
    }
    out.string(tensor.name);
    out.u32(tensor.shape.length);
    for (const dimension of tensor.shape) out.u64(dimension);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  out.padTo(GGUF_ALIGNMENT);
  for (const tensor of tensors) {
    out.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(GGUF_ALIGNMENT);
  }
  return out.toBuffer();
}
