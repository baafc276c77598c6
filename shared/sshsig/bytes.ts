/**
 * Byte helpers for the SSH wire format, pure (no Buffer, no TextEncoder: `shared/` is compiled
 * without DOM or Node types and runs in the browser, the app and the agent alike).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Standard base64 with `=` padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += B64[(n >> 18) & 63];
    out += B64[(n >> 12) & 63];
    out += b1 === undefined ? '=' : B64[(n >> 6) & 63];
    out += b2 === undefined ? '=' : B64[n & 63];
  }
  return out;
}

/**
 * Strict standard base64 decoding: ignores nothing but ASCII whitespace, requires correct
 * padding and zero pad bits (so each byte string has exactly one accepted encoding).
 * @throws Error on any other character or a malformed length.
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\t\n\r ]/g, '');
  if (clean.length % 4 !== 0) throw new Error('base64: length is not a multiple of 4');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = clean[i + j] as string;
      const isPad = c === '=' && i + 4 === clean.length && j >= 4 - pad;
      const v = isPad ? 0 : B64_INDEX.get(c);
      if (v === undefined) throw new Error(`base64: invalid character ${JSON.stringify(c)}`);
      n = (n << 6) | v;
    }
    const triple = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    const take = i + 4 === clean.length ? 3 - pad : 3;
    if (triple.slice(take).some((b) => b !== 0)) throw new Error('base64: non-zero pad bits');
    for (let k = 0; k < take; k++) out[o++] = triple[k] as number;
  }
  return out;
}

/** UTF-8 encoding of a JavaScript string (lone surrogates become U+FFFD, like TextEncoder). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63));
      out.push(0x80 | (cp & 63));
    }
  }
  return Uint8Array.from(out);
}

/**
 * Strict UTF-8 decoding (SSH strings such as namespaces are UTF-8).
 * @throws Error on malformed, overlong or surrogate sequences.
 */
export function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : 4;
    if (b >= 0xf5 || (b >= 0x80 && b < 0xc2)) throw new Error('utf-8: invalid lead byte');
    let cp = len === 1 ? b : b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) throw new Error('utf-8: truncated sequence');
      cp = (cp << 6) | (c & 63);
    }
    const min = [0, 0, 0x80, 0x800, 0x10000][len] as number;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new Error('utf-8: invalid code point');
    }
    out += String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-shape equality of two byte arrays (no early exit on the first difference). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** SSH `uint32` (RFC 4251 §5): big-endian. */
export function sshUint32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** SSH `string` (RFC 4251 §5): uint32 length, then the bytes (text is UTF-8 encoded). */
export function sshString(value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? utf8Encode(value) : value;
  return concatBytes(sshUint32(bytes.length), bytes);
}

/** Reads SSH wire-format fields in order; every read throws on truncated input. */
export class SshReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Reads `n` raw bytes. */
  raw(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) throw new Error('ssh: truncated data');
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  uint32(): number {
    const b = this.raw(4);
    return (
      (((b[0] as number) << 24) |
        ((b[1] as number) << 16) |
        ((b[2] as number) << 8) |
        (b[3] as number)) >>>
      0
    );
  }

  /** An SSH `string` as bytes. */
  bytesString(): Uint8Array {
    return this.raw(this.uint32());
  }

  /** An SSH `string` decoded as UTF-8. */
  text(): string {
    return utf8Decode(this.bytesString());
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}
