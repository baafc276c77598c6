import { crc32, deflateRawSync } from 'node:zlib';

// A minimal zip writer (PKWARE APPNOTE 6.3: local headers, central directory, end record;
// deflate or store; UTF-8 names; no zip64). Enough for evidence exports, which are far below
// 4 GiB and 65 535 files, and it keeps a dependency out of the app. `unzip -t` and every
// archive tool read the result.

/** One file to put in a zip. */
export interface ZipEntry {
  /** Relative POSIX path inside the zip. */
  name: string;
  data: Uint8Array;
}

const LIMIT_32 = 0xffffffff;
const UTF8_FLAG = 0x0800;

/**
 * The zip archive of `entries` (in the given order). All entries carry `modified` as their
 * time, so the same files and date give the same bytes.
 * @throws Error when an entry or the whole would need zip64, or a name is unsafe.
 */
export function zipArchive(entries: readonly ZipEntry[], modified: Date): Buffer {
  if (entries.length > 0xffff) throw new Error('too many files for a zip without zip64');
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (
      entry.name.startsWith('/') ||
      entry.name.split('/').includes('..') ||
      entry.name.includes('\\')
    ) {
      throw new Error(`unsafe zip entry name ${JSON.stringify(entry.name)}`);
    }
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const store = deflated.length >= entry.data.length;
    const body = store ? Buffer.from(entry.data) : deflated;
    if (entry.data.length > LIMIT_32 || offset > LIMIT_32) throw new Error('zip would need zip64');
    const fields = {
      method: store ? 0 : 8,
      crc: crc32(entry.data),
      compressed: body.length,
      size: entry.data.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(fields.crc, 14);
    local.writeUInt32LE(fields.compressed, 18);
    local.writeUInt32LE(fields.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0 (so the mode below counts)
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(UTF8_FLAG, 8);
    header.writeUInt16LE(fields.method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(fields.crc, 16);
    header.writeUInt32LE(fields.compressed, 20);
    header.writeUInt32LE(fields.size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  if (offset + centralSize > LIMIT_32) throw new Error('zip would need zip64');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

/** MS-DOS time and date fields (local-time-free: we write UTC, as reproducible builds do). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
