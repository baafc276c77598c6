import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultAgentBundlePath } from '../../electron/ipc/agent-bundle';
import { repoRoot } from '../harness/paths';

// electron-builder.yml (npm run package) checked without packaging: every path it names is in
// the repository, the icons are what each platform reads, and the agent bundle the build writes
// is the one extraResources ships and the app looks up.

interface ExtraResource {
  from: string;
  to: string;
  filter?: string[];
}

interface BuilderConfig {
  directories: { buildResources: string };
  files: string[];
  extraResources: ExtraResource[];
  win: { icon: string };
  mac: { icon: string };
  linux: { icon: string };
}

const config = parse(
  fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8'),
) as BuilderConfig;
const buildScript = fs.readFileSync(path.join(repoRoot, 'scripts/build-node.mjs'), 'utf8');
const read = (file: string) => fs.readFileSync(path.join(repoRoot, file));

/** The files under `dir`, relative to it, with '/' separators. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(path.join(repoRoot, dir), path.join(entry.parentPath, entry.name)),
    )
    .map((file) => file.split(path.sep).join('/'));
}

/** The output files of scripts/build-node.mjs (its esbuild `outfile`s). */
function buildOutputs(): string[] {
  return [...buildScript.matchAll(/outfile:\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (which must come first), or null if not a PNG. */
function pngSize(data: Buffer): { width: number; height: number } | null {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (data.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder.yml names only paths that exist', () => {
  it('buildResources is a folder of the repository', () => {
    expect(fs.statSync(path.join(repoRoot, config.directories.buildResources)).isDirectory()).toBe(
      true,
    );
  });

  it.each([
    ['win', config.win.icon, 'file'],
    ['mac', config.mac.icon, 'file'],
    ['linux', config.linux.icon, 'folder'],
  ])('the %s icon %s is a %s', (_platform, icon, kind) => {
    expect(icon).toBeTypeOf('string');
    const stat = fs.statSync(path.join(repoRoot, icon));
    expect(kind === 'file' ? stat.isFile() : stat.isDirectory()).toBe(true);
  });

  it('every extraResources source is in the repository or written by npm run build', () => {
    expect(config.extraResources.length).toBeGreaterThan(0);
    for (const { from } of config.extraResources) {
      const built = buildOutputs().some((out) => path.posix.dirname(out) === from);
      expect(built || fs.existsSync(path.join(repoRoot, from)), from).toBe(true);
    }
  });

  it('every extraResources filter matches a file', () => {
    for (const { from, filter } of config.extraResources) {
      if (!filter) continue;
      const files = filesUnder(from);
      for (const pattern of filter) {
        // As electron-builder matches them (app-builder-lib's fileMatcher: minimatch, dot).
        const matched = files.filter((file) => minimatch(file, pattern, { dot: true }));
        expect(matched, `${from}: ${pattern}`).not.toEqual([]);
      }
    }
  });
});

describe('the icons are in the formats each platform reads', () => {
  it('icon.png is a 1024×1024 PNG', () => {
    expect(pngSize(read('resources/icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('the Linux icon folder holds one NxN.png per size, each that size', () => {
    const files = fs.readdirSync(path.join(repoRoot, config.linux.icon)).sort();
    const sizes = files
      .map((file) => Number(/^(\d+)x\1\.png$/.exec(file)?.[1]))
      .sort((a, b) => a - b);
    expect(sizes).toEqual([16, 32, 48, 64, 128, 256, 512]);
    for (const size of sizes) {
      const png = read(path.join(config.linux.icon, `${size}x${size}.png`));
      expect(pngSize(png), `${size}x${size}.png`).toEqual({ width: size, height: size });
    }
  });

  it('the ICO holds 16 to 256 px, each image where its directory entry says', () => {
    const ico = read(config.win.icon);
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // 1 = icon
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = ico.subarray(6 + 16 * i, 22 + 16 * i);
      const size = entry[0] || 256; // 0 means 256
      expect(entry[1] || 256, `entry ${i} is square`).toBe(size);
      const length = entry.readUInt32LE(8);
      const offset = entry.readUInt32LE(12);
      expect(offset + length, `entry ${i} lies within the file`).toBeLessThanOrEqual(ico.length);
      const image = ico.subarray(offset, offset + length);
      const png = pngSize(image);
      if (png) {
        expect(png, `entry ${i}`).toEqual({ width: size, height: size });
      } else {
        // A DIB: BITMAPINFOHEADER, 32 bits per pixel, height counting the AND mask too.
        expect(image.readUInt32LE(0), `entry ${i} header`).toBe(40);
        expect([image.readInt32LE(4), image.readInt32LE(8)], `entry ${i}`).toEqual([
          size,
          2 * size,
        ]);
        expect(image.readUInt16LE(14), `entry ${i} bits per pixel`).toBe(32);
      }
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('the ICNS is whole and holds PNGs of 16 to 1024 px', () => {
    const icns = read(config.mac.icon);
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    // PNG entry types and their pixel sizes (Apple's icns types; ic11..ic14 are @2x).
    const expected: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      ic11: 32,
      ic12: 64,
      ic07: 128,
      ic13: 256,
      ic08: 256,
      ic14: 512,
      ic09: 512,
      ic10: 1024,
    };
    const types: string[] = [];
    let at = 8;
    while (at < icns.length) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      expect(length, type).toBeGreaterThan(8);
      const size = expected[type];
      expect(size, `unexpected entry ${type}`).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + length)), type).toEqual({
        width: size,
        height: size,
      });
      types.push(type);
      at += length;
    }
    expect(at, 'entries end where the file does').toBe(icns.length);
    expect(types.sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('the package carries the agent bundle', () => {
  const agent = config.extraResources.find((resource) => resource.from === 'dist/agent');
  const agentOutput = buildOutputs().find((out) => out.endsWith('/kumiko-agent.cjs'));

  it('extraResources ships dist/agent as resources/agent, outside the asar archive', () => {
    expect(agent).toEqual({ from: 'dist/agent', to: 'agent' });
    expect(config.files).toContain('!dist/agent/**');
  });

  it('npm run build writes the agent bundle into that folder', () => {
    expect(agentOutput).toBe('dist/agent/kumiko-agent.cjs');
    expect(path.posix.dirname(agentOutput ?? '')).toBe(agent?.from);
  });

  it('a checkout looks the bundle up where npm run build writes it', () => {
    expect(defaultAgentBundlePath()).toBe(path.join(repoRoot, agentOutput ?? ''));
  });

  // `files` leaves dist/agent out of app.asar, so the packaged main process must pass the
  // extraResources copy explicitly instead of relying on defaultAgentBundlePath().
  it('the packaged app looks the bundle up in process.resourcesPath/agent', () => {
    const main = read('electron/main/index.ts').toString('utf8');
    expect(main).toMatch(/agentBundlePath/);
    expect(main).toMatch(/process\.resourcesPath/);
    expect(main).toContain(`'${agent?.to}'`);
    expect(main).toContain(`'${path.posix.basename(agentOutput ?? '')}'`);
  });
});
