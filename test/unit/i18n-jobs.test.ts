import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DRILL_JOB_KIND } from '../../shared/contract/drill-phases';
import { GDPR_EXPORT_JOB_KIND } from '../../shared/contract/gdpr';
import { POINT_JOB_KIND } from '../../shared/contract/point-phases';
import { hasMessage, translate, type MessageKey } from '../../renderer/app/i18n/translate';

// Jobs come from main with an English title and phase ids (issue 16 item 1): the jobs panel
// words both from the catalog by the job's kind. Every kind main starts must have a title there.

const root = fileURLToPath(new URL('../..', import.meta.url));
const constants: Record<string, string> = { DRILL_JOB_KIND, POINT_JOB_KIND, GDPR_EXPORT_JOB_KIND };

/** The kind of every job electron/services starts: `jobs.start({ kind: 'x' | CONSTANT, …`. */
function kindsStartedInElectron(): string[] {
  const kinds = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/\.start\(\{\s*kind: (?:'([\w.]+)'|([A-Z_]+))/g)) {
          kinds.add(m[1] ?? constants[m[2] ?? ''] ?? `unknown constant ${m[2]}`);
        }
      }
    }
  };
  walk(path.join(root, 'electron', 'services'));
  return [...kinds].sort();
}

describe('jobs in the catalogs', () => {
  it('title every kind of job main starts, in German and English, with the server’s name', () => {
    const kinds = kindsStartedInElectron();
    expect(kinds.length).toBeGreaterThanOrEqual(7);
    for (const kind of kinds) {
      const key = `jobs.title.${kind}`;
      expect(hasMessage(key), key).toBe(true);
      for (const lang of ['de', 'en'] as const) {
        expect(translate(lang, key as MessageKey, { name: 'ERP' }), `${lang} ${kind}`).toContain(
          'ERP',
        );
      }
    }
  });
});
