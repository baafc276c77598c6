import { crc32, inflateRawSync } from 'node:zlib';

// A strict zip reader for verification: reads the central directory, checks every entry's
// CRC and size, and reports (never extracts) anything a bundle cannot contain: symlinks,
// encrypted entries, unsafe names, unknown compression. Deflate and store only, no zip64,
// which covers our own exports and what `zip` makes of a bundle folder.

/** A zip's regular files by name, and what was refused. */
export interface ZipContents {
  files: Map<string, Uint8Array>;
  problems: { name: string; message: string }[];
}

/** Total uncompressed bytes we are willing to inflate (a guard against zip bombs). */
const MAX_TOTAL = 4 * 1024 ** 3;

/** Reads a zip archive. @throws Error when it is not a zip at all (no end record). */
export function readZip(zip: Buffer): ZipContents {
  const eocd = findEndRecord(zip);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Uint8Array>();
  const problems: ZipContents['problems'] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) {
      throw new Error('zip central directory is damaged');
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue; // a folder entry
    const refuse = (message: string) => problems.push({ name, message });
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      refuse('unsafe path in the zip');
      continue;
    }
    if (madeBy === 3 && (mode & 0o170000) !== 0 && (mode & 0o170000) !== 0o100000) {
      refuse('not a regular file (symlink or special file)');
      continue;
    }
    if (flags & 1) {
      refuse('encrypted zip entry');
      continue;
    }
    if (method !== 0 && method !== 8) {
      refuse(`unsupported compression method ${method}`);
      continue;
    }
    total += size;
    if (total > MAX_TOTAL) throw new Error('zip expands to more than 4 GiB');
    if (files.has(name)) {
      refuse('the zip holds this name twice');
      continue;
    }
    const data = entryData(zip, localOffset, method, compressed, size);
    if (!data || crc32(data) !== crc) {
      refuse('damaged entry (CRC or size mismatch)');
      continue;
    }
    files.set(name, new Uint8Array(data.buffer, data.byteOffset, data.length));
  }
  return { files, problems };
}

function entryData(
  zip: Buffer,
  offset: number,
  method: number,
  compressed: number,
  size: number,
): Buffer | null {
  if (offset + 30 > zip.length || zip.readUInt32LE(offset) !== 0x04034b50) return null;
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
  if (start + compressed > zip.length) return null;
  const body = zip.subarray(start, start + compressed);
  try {
    const data = method === 0 ? body : inflateRawSync(body, { maxOutputLength: size + 1 });
    return data.length === size ? data : null;
  } catch {
    return null;
  }
}

/** Offset of the end-of-central-directory record (searched back over a possible comment). */
function findEndRecord(zip: Buffer): number {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new Error('not a zip archive');
}

/** True when the bytes start like a zip (local header, or an empty zip's end record). */
export function looksLikeZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 3 || head[2] === 5) &&
    (head[3] === 4 || head[3] === 6)
  );
}
