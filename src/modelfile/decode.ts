/**
 * Bytes → code points, the way Ollama reads a Modelfile: `bufio.Reader.ReadRune` over golang.org/x/text's
 * `unicode.BOMOverride(unicode.UTF8.NewDecoder())`. Invalid input never fails, but how it is replaced depends
 * on the BOM:
 *
 * - no BOM: x/text's UTF-8 decoder replaces each *maximal subpart* of an ill-formed sequence with one U+FFFD
 *   (Unicode's recommended practice, the one the WHATWG decoder follows too), so `E2 82 79` gives U+FFFD `y`;
 * - UTF-8 BOM (`EF BB BF`): BOMOverride passes the bytes after it through untouched and Go's `ReadRune`
 *   replaces every byte that does not start a valid sequence with one U+FFFD, so `E2 82 79` gives
 *   U+FFFD U+FFFD `y`;
 * - UTF-16LE / UTF-16BE BOM: x/text's UTF-16 decoder. A surrogate followed by a trail surrogate is read as
 *   a pair: a lead + trail pair is one code point, a trail + trail "pair" one U+FFFD. Any other surrogate
 *   is one U+FFFD, and so is a dangling odd byte at the end.
 */
const REPLACEMENT_CHARACTER = 0xfffd;

const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export function decodeModelfile(bytes: Uint8Array): number[] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8PerByte(bytes, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 2, true);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 2, false);
  return codePointsOf(utf8Decoder.decode(bytes));
}

function codePointsOf(text: string): number[] {
  const out: number[] = [];
  for (const c of text) out.push(c.codePointAt(0) as number);
  return out;
}

/** Go's utf8.DecodeRune rules: shortest form only, no surrogates, at most U+10FFFF; one U+FFFD per bad byte. */
function decodeUtf8PerByte(bytes: Uint8Array, start: number): number[] {
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

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;
const isLeadSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isTrailSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** x/text's UTF-16 decoder (IgnoreBOM: the BOM was already consumed). */
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
    if (!isSurrogate(unit)) {
      out.push(unit);
      continue;
    }
    if (i + 1 < bytes.length && isTrailSurrogate(unitAt(i))) {
      const trail = unitAt(i);
      i += 2;
      // utf16.DecodeRune: only lead + trail makes a code point; trail + trail is consumed as one U+FFFD.
      out.push(isLeadSurrogate(unit) ? 0x10000 + ((unit - 0xd800) << 10) + (trail - 0xdc00) : REPLACEMENT_CHARACTER);
      continue;
    }
    out.push(REPLACEMENT_CHARACTER);
  }
  if (i < bytes.length) out.push(REPLACEMENT_CHARACTER);
  return out;
}
