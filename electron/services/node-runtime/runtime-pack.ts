import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { AppError } from '../app-error';
import { RUNTIME_PIECE_BYTES, RUNTIME_PIECE_PINS } from './runtime-piece-pins';
import { NODE_RUNTIME_PACKAGES, NODE_RUNTIME_VERSION, type RuntimeArch } from './runtime-pin';
import type { RuntimeSources, RuntimeTarball } from './resolve-runtime';

// Why pieces: npm's tarball is one gzip stream, which a server can only unpack after (or, piped,
// as slowly as) the upload: 53 MB up, then 127 MB of bin/node unpacked, one after the other
// (0.8 s + 1.1 s on the CI machine). The pack holds bin/node in pieces compressed one by one, so
// the server unpacks and checks each piece while the next is on the wire. It is made once per
// app from the verified tarball and kept in the runtime cache; nothing in it is trusted here:
// the server checks every unpacked piece against RUNTIME_PIECE_PINS.

const gzip = promisify(zlib.gzip);
const NODE_MEMBER = 'package/bin/node';
const LICENSE_MEMBER = 'package/LICENSE';
const PACK_FORMAT = 1;

/** One piece as sent: `name` is its index in bin/node, or 'license'. */
export interface RuntimePackPiece {
  name: string;
  /** Compressed size: what the server reads off the upload for this piece. */
  gzBytes: number;
  /** sha256 of the compressed file here (checks the cache, not the server's copy). */
  gzSha256: string;
  /** sha256 of the unpacked piece: the pin the server checks. */
  sha256: string;
}

/** The runtime in pieces, ready to send (see {@link runtimePack}). */
export interface RuntimePack {
  arch: RuntimeArch;
  dir: string;
  /** bin/node's pieces in order, then the licence. */
  pieces: RuntimePackPiece[];
  /** Size of the whole bin/node the pieces make. */
  nodeBytes: number;
  /** All pieces together: the upload's size. */
  gzBytes: number;
  /** sha256 of the upload (the pieces one after another), as the install plan shows it. */
  payloadSha256: string;
}

/** The raw pieces of a runtime tarball: what {@link RUNTIME_PIECE_PINS} holds. */
export interface RuntimePieceHashes {
  tarballSha256: string;
  nodeBytes: number;
  node: string[];
  license: string;
}

const packs = new Map<string, Promise<RuntimePack>>();

/**
 * The pack of a verified tarball: from the cache when its files are the ones it recorded and
 * its pieces carry the pinned hashes, else made again from the tarball (a few seconds, once).
 * One per tarball and app: a rebuild's plan makes it, its restore sends it.
 * @throws AppError AGENT_INSTALL_FAILED when the tarball's pieces differ from the pins.
 */
export function runtimePack(
  tarball: RuntimeTarball,
  sources: RuntimeSources,
): Promise<RuntimePack> {
  const dir = packDir(tarball.arch, sources);
  const key = `${dir}\0${tarball.sha256}`;
  let pack = packs.get(key);
  if (!pack) {
    pack = cachedPack(tarball.arch, dir).then((found) => found ?? makePack(tarball, dir));
    packs.set(key, pack);
    pack.catch(() => packs.delete(key));
  }
  return pack;
}

/** Forgets a pack the server refused (a piece differed): the next attempt makes it again. */
export async function discardRuntimePack(pack: RuntimePack): Promise<void> {
  for (const key of packs.keys()) if (key.startsWith(`${pack.dir}\0`)) packs.delete(key);
  await fs.promises.rm(pack.dir, { recursive: true, force: true });
}

/** The pieces one after another, as the upload sends them. */
export async function packPayload(pack: RuntimePack): Promise<Buffer> {
  const parts = await Promise.all(
    pack.pieces.map((p) => fs.promises.readFile(path.join(pack.dir, `${p.name}.gz`))),
  );
  return Buffer.concat(parts);
}

function packDir(arch: RuntimeArch, sources: RuntimeSources): string {
  return path.join(
    sources.cacheDir,
    `${NODE_RUNTIME_PACKAGES[arch].name}-${NODE_RUNTIME_VERSION}.pieces`,
  );
}

/** The pack in the cache, if every file is as recorded and every piece as pinned. */
async function cachedPack(arch: RuntimeArch, dir: string): Promise<RuntimePack | null> {
  let recorded: unknown;
  try {
    recorded = JSON.parse(await fs.promises.readFile(path.join(dir, 'pack.json'), 'utf8'));
  } catch {
    return null;
  }
  const record = recorded as { format?: unknown; pieces?: unknown };
  if (record.format !== PACK_FORMAT || !Array.isArray(record.pieces)) return null;
  const pieces = record.pieces as RuntimePackPiece[];
  const pins = pinnedNames(arch);
  if (
    pieces.length !== pins.length ||
    pieces.some((p, i) => p?.name !== pins[i]?.name || p.sha256 !== pins[i]?.sha256)
  ) {
    return null;
  }
  const payload = crypto.createHash('sha256');
  for (const piece of pieces) {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(path.join(dir, `${piece.name}.gz`));
    } catch {
      return null;
    }
    if (bytes.length !== piece.gzBytes || sha256(bytes) !== piece.gzSha256) return null;
    payload.update(bytes);
  }
  return {
    arch,
    dir,
    pieces,
    nodeBytes: RUNTIME_PIECE_PINS[arch].nodeBytes,
    gzBytes: sum(pieces.map((p) => p.gzBytes)),
    payloadSha256: payload.digest('hex'),
  };
}

/** The piece names and pins in the order they are sent. */
function pinnedNames(arch: RuntimeArch): { name: string; sha256: string }[] {
  const pins = RUNTIME_PIECE_PINS[arch];
  return [
    ...pins.node.map((sha, i) => ({ name: String(i), sha256: sha })),
    { name: 'license', sha256: pins.license },
  ];
}

/**
 * Cuts bin/node into pieces and compresses each (beside the next one being read), checks the
 * tarball against the sha256 it was verified with and every piece against its pin, and
 * publishes the folder in one rename. Another app making the same pack at the same time wins
 * or loses that rename; either folder is a whole one.
 */
async function makePack(tarball: RuntimeTarball, dir: string): Promise<RuntimePack> {
  const temp = `${dir}.${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  await fs.promises.mkdir(temp, { recursive: true });
  try {
    const written: Promise<RuntimePackPiece>[] = [];
    const hashes = await readPieces(tarball.path, (name, raw) => {
      written.push(
        gzip(raw, { level: 6 }).then(async (gz) => {
          await fs.promises.writeFile(path.join(temp, `${name}.gz`), gz);
          return { name, gzBytes: gz.length, gzSha256: sha256(gz), sha256: sha256(raw) };
        }),
      );
    });
    // The licence comes first in npm's tarball; the pack lists the pieces as they are sent.
    const byName = new Map((await Promise.all(written)).map((p) => [p.name, p]));
    const pins = pinnedNames(tarball.arch);
    const pieces = pins.map((pin) => byName.get(pin.name));
    if (hashes.tarballSha256 !== tarball.sha256) {
      throw new AppError(
        'AGENT_INSTALL_FAILED',
        'The Node.js runtime in the app’s cache changed while it was being prepared. Try again.',
        { step: 'runtime' },
      );
    }
    if (byName.size !== pins.length || pieces.some((p, i) => p?.sha256 !== pins[i]?.sha256)) {
      throw new AppError(
        'AGENT_INSTALL_FAILED',
        'The Node.js runtime does not match the pieces this app version expects; nothing was sent. Reinstall the app.',
        { step: 'runtime' },
      );
    }
    const sent = pieces as RuntimePackPiece[];
    await fs.promises.writeFile(
      path.join(temp, 'pack.json'),
      `${JSON.stringify({ format: PACK_FORMAT, tarballSha256: tarball.sha256, pieces: sent }, null, 2)}\n`,
    );
    // Published in one rename. A folder there already is another app's pack (as good as
    // ours: never removed while that app may read it) or a damaged one (replaced).
    if (!(await renamed(temp, dir)) && !(await cachedPack(tarball.arch, dir))) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      await renamed(temp, dir);
    }
    const published = await cachedPack(tarball.arch, dir);
    if (!published) {
      throw new AppError('AGENT_INSTALL_FAILED', 'The Node.js runtime could not be prepared.', {
        step: 'runtime',
      });
    }
    return published;
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true });
  }
}

/**
 * Reads a runtime tarball once: its sha256, bin/node cut into RUNTIME_PIECE_BYTES pieces and
 * the licence, each handed to `onPiece` ('0', '1', …, then 'license') as it is complete.
 */
export async function readPieces(
  file: string,
  onPiece?: (name: string, raw: Buffer) => void,
): Promise<RuntimePieceHashes> {
  const whole = crypto.createHash('sha256');
  const node: string[] = [];
  let license = '';
  let nodeBytes = 0;
  const piece = (name: string, raw: Buffer): string => {
    onPiece?.(name, raw);
    return sha256(raw);
  };
  const parser = new Parser({
    strict: true,
    filter: (member) => member === NODE_MEMBER || member === LICENSE_MEMBER,
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      let held = 0;
      const cut = (): void => {
        const raw = Buffer.concat(chunks);
        chunks.length = 0;
        held = 0;
        node.push(piece(String(node.length), raw));
      };
      entry.on('data', (data: Buffer) => {
        if (entry.path === LICENSE_MEMBER) {
          chunks.push(data);
          return;
        }
        nodeBytes += data.length;
        let rest = data;
        while (held + rest.length >= RUNTIME_PIECE_BYTES) {
          const take = RUNTIME_PIECE_BYTES - held;
          chunks.push(rest.subarray(0, take));
          held += take;
          cut();
          rest = rest.subarray(take);
        }
        if (rest.length) {
          chunks.push(rest);
          held += rest.length;
        }
      });
      entry.on('end', () => {
        if (entry.path === LICENSE_MEMBER) license = piece('license', Buffer.concat(chunks));
        else if (held > 0) cut();
      });
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  for await (const chunk of fs.createReadStream(file)) {
    whole.update(chunk as Buffer);
    parser.write(chunk as Buffer);
  }
  parser.end();
  await ended;
  if (!node.length || !license) {
    throw new AppError(
      'AGENT_INSTALL_FAILED',
      'The Node.js runtime tarball holds no bin/node or no licence.',
      { step: 'runtime' },
    );
  }
  return { tarballSha256: whole.digest('hex'), nodeBytes, node, license };
}

async function renamed(from: string, to: string): Promise<boolean> {
  try {
    await fs.promises.rename(from, to);
    return true;
  } catch {
    return false;
  }
}

function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
