import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledLicences, installedLicence } from '../../scripts/bundled-licences';

// The About page's licence list (issue 16 §5), made from package-lock.json at build time.

describe('bundledLicences', () => {
  it('lists runtime packages with their licence, leaves dev tools and links out, sorted', () => {
    const lock = {
      packages: {
        '': { name: 'kumiko-recovery', version: '0.1.0' },
        'node_modules/zod': { version: '3.23.8', license: 'MIT' },
        'node_modules/@aws-sdk/client-s3': { version: '3.700.0', license: 'Apache-2.0' },
        'node_modules/a/node_modules/zod': { version: '3.22.0', license: 'MIT' },
        'node_modules/vitest': { version: '4.1.12', license: 'MIT', dev: true },
        'node_modules/local': { link: true },
        'node_modules/nolicence': { version: '1.0.0' },
      },
    };
    expect(bundledLicences(lock)).toEqual([
      { name: '@aws-sdk/client-s3', version: '3.700.0', license: 'Apache-2.0' },
      { name: 'nolicence', version: '1.0.0', license: 'UNKNOWN' },
      { name: 'zod', version: '3.22.0', license: 'MIT' },
      { name: 'zod', version: '3.23.8', license: 'MIT' },
    ]);
  });

  it('finds the app’s own runtime dependencies in the real package-lock.json, none without a licence', () => {
    const lock: unknown = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
    const list = bundledLicences(lock, (where) =>
      installedLicence((file) => {
        try {
          return fs.readFileSync(`${where}/${file}`, 'utf8');
        } catch {
          return null;
        }
      }),
    );
    // ssh2 declares its licence in the old `licenses` array; png-js only in its LICENSE file.
    expect(list.find((l) => l.name === 'ssh2')?.license).toBe('MIT');
    expect(list.find((l) => l.name === 'png-js')?.license).toBe('MIT (LICENSE file)');
    const names = new Set(list.map((l) => l.name));
    for (const dep of ['react', 'zustand', 'wouter', 'ssh2', 'better-sqlite3', 'zod']) {
      expect(names.has(dep), dep).toBe(true);
    }
    expect(names.has('vitest')).toBe(false);
    expect(list.filter((l) => l.license === 'UNKNOWN')).toEqual([]);
  });
});
