/**
 * Bytes → code points, the way Ollama reads a Modelfile: a BOM selects UTF-8, UTF-16LE or UTF-16BE
 * (golang.org/x/text `unicode.BOMOverride`), anything else is UTF-8. Invalid input never fails: like Go's
 * decoders, every byte that does not start a valid sequence becomes one U+FFFD. (The WHATWG TextDecoder
 * replaces maximal subparts instead, which would give a different number of U+FFFD, so it is not used.)
 */
export const REPLACEMENT_CHARACTER = 0xfffd;

export function decodeModelfile(bytes: Uint8Array): number[] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 2, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 2, false);
  return decodeUtf8(bytes, 0);
}

/** Go's utf8.DecodeRune rules: shortest form only, no surrogates, at most U+10FFFF. */
function decodeUtf8(bytes: Uint8Array, start: number): number[] {
  const out: number[] = [];
  let i = start;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out.push(b0);
      i += 1;
      continue;
    }
    const decoded = decodeMultiByte(bytes, i, b0);
    if (decoded === undefined) {
      out.push(REPLACEMENT_CHARACTER);
      i += 1;
    } else {
      out.push(decoded.codePoint);
      i += decoded.size;
    }
  }
  return out;
}

function decodeMultiByte(bytes: Uint8Array, i: number, b0: number): { codePoint: number; size: number } | undefined {
  let size: number;
  let lowest: number;
  let codePoint: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    size = 2;
    lowest = 0x80;
    codePoint = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    size = 3;
    lowest = 0x800;
    codePoint = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    size = 4;
    lowest = 0x10000;
    codePoint = b0 & 0x07;
  } else {
    return undefined;
  }
  if (i + size > bytes.length) return undefined;
  for (let k = 1; k < size; k++) {
    const continuation = bytes[i + k] as number;
    if ((continuation & 0xc0) !== 0x80) return undefined;
    codePoint = (codePoint << 6) | (continuation & 0x3f);
  }
  if (codePoint < lowest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
  return { codePoint, size };
}

/** Unpaired surrogates and a dangling odd byte each become U+FFFD, as x/text's UTF-16 decoder does. */
function decodeUtf16(bytes: Uint8Array, start: number, littleEndian: boolean): number[] {
  const out: number[] = [];
  const unitAt = (i: number) =>
    littleEndian
      ? (bytes[i] as number) | ((bytes[i + 1] as number) << 8)
      : ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  let i = start;
  while (i + 1 < bytes.length) {
    const unit = unitAt(i);
    i += 2;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < bytes.length) {
      const low = unitAt(i);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out.push(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
        i += 2;
        continue;
      }
    }
    out.push(unit >= 0xd800 && unit <= 0xdfff ? REPLACEMENT_CHARACTER : unit);
  }
  if (i < bytes.length) out.push(REPLACEMENT_CHARACTER);
  return out;
}
