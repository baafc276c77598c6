import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectBundles } from '../../electron/services/reports/bundle-reader';
import { looksLikeZip, readZip } from '../../electron/services/reports/zip-reader';
import { zipArchive } from '../../electron/services/reports/zip-writer';

// The minimal zip writer and strict reader behind the evidence export and `report verify x.zip`.

const when = new Date('2025-04-01T08:00:00Z');

describe('zip writer and reader', () => {
  it('round-trips stored and deflated entries, deterministically', () => {
    const entries = [
      { name: 'root/SUMMARY.txt', data: Buffer.from('summary '.repeat(200)) },
      { name: 'root/d1/report.pdf', data: randomBytes(3000) },
      { name: 'root/d1/evidence/empty.log', data: Buffer.alloc(0) },
      { name: 'root/Grüße.txt', data: Buffer.from('ä') },
    ];
    const zip = zipArchive(entries, when);
    expect(looksLikeZip(zip)).toBe(true);
    expect(zipArchive(entries, when).equals(zip)).toBe(true);
    const read = readZip(zip);
    expect(read.problems).toEqual([]);
    expect([...read.files.keys()]).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(Buffer.from(read.files.get(e.name)!).equals(e.data)).toBe(true);
  });

  it('reports a damaged entry instead of returning its bytes', () => {
    const zip = zipArchive([{ name: 'a.txt', data: Buffer.from('hello world') }], when);
    const damaged = Buffer.from(zip);
    const at = 30 + 'a.txt'.length; // first byte of the stored data
    damaged[at] = (damaged[at] as number) ^ 0xff;
    const read = readZip(damaged);
    expect(read.files.size).toBe(0);
    expect(read.problems).toEqual([{ name: 'a.txt', message: expect.stringMatching(/CRC/) }]);
    expect(() => readZip(Buffer.from('not a zip at all, definitely not'))).toThrow(/not a zip/);
  });

  it('refuses unsafe names when writing', () => {
    expect(() => zipArchive([{ name: '../x', data: Buffer.alloc(1) }], when)).toThrow(/unsafe/);
    expect(() => zipArchive([{ name: '/x', data: Buffer.alloc(1) }], when)).toThrow(/unsafe/);
  });

  it('groups a tree into bundles by their MANIFEST.sha256', () => {
    const b = (s: string) => new Uint8Array(Buffer.from(s));
    const tree = {
      files: new Map([
        ['exp/SUMMARY.txt', b('s')],
        ['exp/d1/MANIFEST.sha256', b('m1')],
        ['exp/d1/report.json', b('r1')],
        ['exp/d2/MANIFEST.sha256', b('m2')],
        ['exp/d2/evidence/a.log', b('a')],
      ]),
      problems: [{ name: 'exp/d2/evidence/link', message: 'symlink' }],
    };
    const found = collectBundles(tree, '/x.zip');
    expect(found.bundles.map((x) => [x.location, [...x.files.keys()]])).toEqual([
      ['/x.zip/exp/d1', ['MANIFEST.sha256', 'report.json']],
      ['/x.zip/exp/d2', ['MANIFEST.sha256', 'evidence/a.log']],
    ]);
    expect(found.bundles[1]?.readProblems).toEqual([
      { code: 'read-error', file: 'evidence/link', message: 'evidence/link: symlink' },
    ]);
    expect([...found.loose.keys()]).toEqual(['exp/SUMMARY.txt']);
  });
});
