import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRuntimeTarball } from '../../electron/services/node-runtime/resolve-runtime';
import { packPayload, runtimePack } from '../../electron/services/node-runtime/runtime-pack';
import { RUNTIME_PIECE_PINS } from '../../electron/services/node-runtime/runtime-piece-pins';
import { nodeRuntimeSources } from '../harness/node-runtime';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-runtime-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const sha = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * The pinned runtime in pieces (runtime-pack.ts), made from the real tarball the tests install:
 * its pieces are the pinned ones and make the same bin/node as tar does, and a damaged pack in
 * the cache is made again instead of being sent.
 */
describe('the Node runtime in pieces', () => {
  it('cuts the real tarball into the pinned pieces, which make the same bin/node as tar', async () => {
    const tarball = await resolveRuntimeTarball('x64', nodeRuntimeSources);
    const pack = await runtimePack(tarball, { cacheDir: path.join(tmp, 'a') });
    const pins = RUNTIME_PIECE_PINS.x64;
    expect(pack.pieces.map((p) => p.name)).toEqual([
      ...pins.node.map((_, i) => String(i)),
      'license',
    ]);
    expect(pack.pieces.map((p) => p.sha256)).toEqual([...pins.node, pins.license]);
    const payload = await packPayload(pack);
    expect(payload.length).toBe(pack.gzBytes);
    expect(sha(payload)).toBe(pack.payloadSha256);
    // Less than a third more than npm's tarball, which holds the headers and docs too.
    expect(pack.gzBytes).toBeLessThan(tarball.size * 1.3);

    const unpacked = pack.pieces
      .filter((p) => p.name !== 'license')
      .map((p) => zlib.gunzipSync(fs.readFileSync(path.join(pack.dir, `${p.name}.gz`))));
    const byTar = execFileSync('tar', ['-xzOf', tarball.path, 'package/bin/node'], {
      maxBuffer: 512 * 1024 * 1024,
    });
    expect(sha(Buffer.concat(unpacked))).toBe(sha(byTar));
    expect(Buffer.concat(unpacked).length).toBe(pins.nodeBytes);
  }, 120_000);

  it('makes a pack again when a piece in the cache was changed', async () => {
    const tarball = await resolveRuntimeTarball('x64', nodeRuntimeSources);
    const good = await runtimePack(tarball, { cacheDir: path.join(tmp, 'a') });
    const other = path.join(tmp, 'b');
    fs.mkdirSync(other);
    const copied = path.join(other, path.basename(good.dir));
    fs.cpSync(good.dir, copied, { recursive: true });
    const piece = path.join(copied, '3.gz');
    const bytes = fs.readFileSync(piece);
    bytes.writeUInt8((bytes[100] as number) ^ 0xff, 100);
    fs.writeFileSync(piece, bytes);

    const pack = await runtimePack(tarball, { cacheDir: other });
    expect(pack.dir).toBe(copied);
    expect(fs.readFileSync(piece).equals(fs.readFileSync(path.join(good.dir, '3.gz')))).toBe(true);
    expect(pack.payloadSha256).toBe(good.payloadSha256);
  }, 120_000);
});
