import { describe, expect, it } from 'vitest';
import { isEvidenceName, isSafeRelativePath } from '../../shared/report/bundle-layout';
import {
  formatManifest,
  ManifestFormatError,
  parseManifest,
  toHex,
} from '../../shared/report/manifest';

// MANIFEST.sha256 must be byte-for-byte what `sha256sum` writes (so `sha256sum -c` reads it),
// and our reader must be stricter than sha256sum: anything it would not write is a problem.

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('MANIFEST.sha256 format', () => {
  it('writes sorted "<hash>  <path>" lines with a final newline', () => {
    const text = formatManifest([
      { path: 'report.pdf', sha256: B },
      { path: 'evidence/amcheck.txt', sha256: A },
      { path: 'chain/previous-manifest.sha256', sha256: A },
      { path: 'report.json', sha256: A },
    ]);
    expect(text).toBe(
      `${A}  chain/previous-manifest.sha256\n${A}  evidence/amcheck.txt\n${A}  report.json\n${B}  report.pdf\n`,
    );
    expect(parseManifest(text)).toEqual({
      entries: [
        { sha256: A, path: 'chain/previous-manifest.sha256' },
        { sha256: A, path: 'evidence/amcheck.txt' },
        { sha256: A, path: 'report.json' },
        { sha256: B, path: 'report.pdf' },
      ],
      problems: [],
    });
  });

  it('refuses to write what sha256sum would escape or what cannot be listed', () => {
    const bad = [
      { path: 'a b.txt', sha256: A },
      { path: 'x\\y', sha256: A },
      { path: '../escape', sha256: A },
      { path: '/abs', sha256: A },
      { path: '.hidden', sha256: A },
      { path: 'evidence/', sha256: A },
      { path: 'MANIFEST.sha256', sha256: A },
      { path: 'MANIFEST.sha256.sig', sha256: A },
      { path: 'allowed_signers', sha256: A },
      { path: 'ok.txt', sha256: A.toUpperCase() },
      { path: 'ok.txt', sha256: 'a'.repeat(63) },
    ];
    for (const entry of bad) {
      expect(() => formatManifest([entry]), entry.path).toThrow(ManifestFormatError);
    }
    expect(() => formatManifest([])).toThrow(ManifestFormatError);
    expect(() =>
      formatManifest([
        { path: 'x', sha256: A },
        { path: 'x', sha256: B },
      ]),
    ).toThrow(/duplicate/);
  });

  it('reports every deviation when reading', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      [`${A}  report.json`, /newline/],
      [`${A} report.json\n`, /not "<sha256> {2}<path>"/],
      [`${A} *report.json\n`, /not "<sha256> {2}<path>"/],
      [`${A.toUpperCase()}  report.json\n`, /not "<sha256> {2}<path>"/],
      [`${A}  report.pdf\n${A}  report.json\n`, /not sorted/],
      [`${A}  report.json\n${B}  report.json\n`, /twice/],
      [`${A}  ../x\n`, /unsafe path/],
      [`${A}  MANIFEST.sha256.sig\n`, /cannot be listed/],
      [`${A}  report.json\n\n`, /line 2/],
    ];
    for (const [text, problem] of cases) {
      const parsed = parseManifest(text);
      expect(parsed.problems.join('\n'), JSON.stringify(text)).toMatch(problem);
    }
  });

  it('limits paths and evidence names to safe segments', () => {
    expect(isSafeRelativePath('evidence/checks/amcheck-1.txt')).toBe(true);
    expect(isSafeRelativePath('evidence//x')).toBe(false);
    expect(isSafeRelativePath('x'.repeat(201))).toBe(false);
    expect(isEvidenceName('pgbackrest-info.json')).toBe(true);
    expect(isEvidenceName('logs/restore.log')).toBe(true);
    expect(isEvidenceName('../report.json')).toBe(false);
    expect(isEvidenceName('a b')).toBe(false);
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe('000fff');
  });
});
