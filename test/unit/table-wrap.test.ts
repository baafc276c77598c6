import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A table wider than the page scrolls in its wrapper; keyboard users can scroll it only when the
// wrapper takes focus and is named (axe-core: scrollable-region-focusable, found on the server
// page in CI). Every wrapper is TableWrap, so no bare one can come back.

const renderer = fileURLToPath(new URL('../../renderer', import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.tsx') ? [full] : [];
  });
}

describe('scrolling tables', () => {
  it('are wrapped by TableWrap only (a focusable region named by the table)', () => {
    const bare = sources(renderer).filter(
      (file) =>
        !file.endsWith(`${path.sep}TableWrap.tsx`) &&
        /className=["'{`][^"'}`]*\btable-wrap\b/.test(fs.readFileSync(file, 'utf8')),
    );
    expect(bare.map((file) => path.relative(renderer, file))).toEqual([]);
  });
});
