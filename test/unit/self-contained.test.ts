import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  climbsOutside,
  EXEMPT,
  machinePathIn,
  outsidePathsIn,
  relativeOutsideIn,
} from '../harness/outside-paths';
import { repoRoot } from '../harness/paths';

// Issue 13: a clone with nothing beside it runs the demo, the tests and the benches, so no
// tracked file may refer to a path outside the repository (../shared, a developer's home...).
// This file is exempt from the scan (see EXEMPT): its classifier cases offend on purpose.

/** Files larger than this are not read (none is today; a generated dump would be). */
const MAX_BYTES = 2 * 1024 * 1024;

/** Every tracked file, repo-relative with forward slashes. Fails when git cannot list them. */
function trackedFiles(): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['ls-files', '-z'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const err = error as { message?: string; stderr?: string };
    throw new Error(
      `self-contained check: 'git ls-files' failed in ${repoRoot}; this test needs git and a ` +
        `git checkout of the repository: ${(err.stderr || err.message || String(error)).trim()}`,
    );
  }
  const files = out.split('\0').filter((f) => f !== '');
  if (files.length === 0) {
    throw new Error(`self-contained check: 'git ls-files' listed no files in ${repoRoot}`);
  }
  return files;
}

/** `file:line: text` for every reference from a tracked file to outside the repository. */
function scanRepository(): { offences: string[]; notRead: string[] } {
  const offences: string[] = [];
  const notRead: string[] = [];
  for (const file of trackedFiles()) {
    const full = path.join(repoRoot, file);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(full);
    } catch {
      continue; // deleted in the working tree: nothing there to refer anywhere
    }
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(full);
      const outside = path.isAbsolute(target)
        ? machinePathIn(target)
        : climbsOutside(file, target) && target;
      if (outside) offences.push(`${file}:1: symbolic link to ${target}`);
      continue;
    }
    if (!stat.isFile()) continue; // a submodule's folder
    if (stat.size > MAX_BYTES) {
      notRead.push(`${file} (${stat.size} bytes, over ${MAX_BYTES})`);
      continue;
    }
    const bytes = fs.readFileSync(full);
    if (bytes.includes(0)) continue; // binary (images)
    for (const ref of outsidePathsIn(file, bytes.toString('utf8'))) {
      offences.push(`${file}:${ref.line}: ${ref.text}  [${ref.why}]`);
    }
  }
  return { offences, notRead };
}

describe('self-contained repository', () => {
  it('no tracked file refers to a path outside the repository', () => {
    const { offences, notRead } = scanRepository();
    if (notRead.length > 0)
      console.warn(`self-contained check did not read: ${notRead.join(', ')}`);
    expect(
      offences,
      'Tracked files must not refer outside the repository: copy what they need into it ' +
        '(resources/, docs/) and refer to that. A reference that is not one (a path in a ' +
        'config resolved from another folder, say) belongs in EXEMPT in ' +
        'test/harness/outside-paths.ts, with its reason.',
    ).toEqual([]);
  });

  it('every exemption still matches a file (and line) of the repository', () => {
    for (const e of EXEMPT) {
      const full = path.join(repoRoot, e.file);
      expect(fs.existsSync(full), `${e.file} is exempt but does not exist`).toBe(true);
      if (e.containing !== undefined) {
        expect(fs.readFileSync(full, 'utf8'), `${e.file}: exempt line gone`).toContain(
          e.containing,
        );
      }
    }
  });
});

describe('outside-path classifier', () => {
  it.each([
    ['agent/drill/x.ts', '../../shared/contract', false],
    ['agent/index.ts', '../shared/agent/drill', false],
    ['test/e2e/demo.test.ts', '../..', false],
    ['docs/DESIGN.md', '../README.md', false],
    ['README.md', '../shared/DESIGN.md', true],
    ['agent/drill/x.ts', '../../../shared/contract', true],
    ['test/e2e/demo.test.ts', '../../..', true],
  ])('from %s, %s climbs outside: %s', (file, relative, outside) => {
    expect(climbsOutside(file, relative)).toBe(outside);
  });

  it.each([
    ['README.md', 'See [DESIGN.md](../shared/DESIGN.md) for the whole picture.'],
    ['.prettierignore', '../shared'],
    ['test/harness/chinook.ts', "const sql = '../../../shared/datasets/chinook/x.sql';"],
    ['test/harness/paths.ts', "export const sharedDir = path.resolve(repoRoot, '..', 'shared');"],
    ['electron/cli/demo.ts', "const dir = path.join(here, '..', 'shared');"],
    [
      'test/harness/paths.ts',
      "path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')",
    ],
    ['bench/run.ts', "path.join(import.meta.dirname, '..', '..')"],
    ['scripts/test-all.sh', 'cd "$(dirname "$0")/../.."'],
  ])('%s: %s refers outside', (file, line) => {
    expect(relativeOutsideIn(file, line)).toBeDefined();
  });

  it.each([
    ['agent/drill/x.ts', "import type { AgentConfig } from '../../shared/agent/config';"],
    ['README.md', 'See [DESIGN.md](docs/DESIGN.md) for the whole picture.'],
    ['README.md', '![The console](docs/screenshot.png)'],
    ['test/e2e/demo.test.ts', "const root = fileURLToPath(new URL('../..', import.meta.url));"],
    [
      'test/harness/paths.ts',
      "path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')",
    ],
    ['electron/ipc/agent-bundle.ts', "path.join(__dirname, '..', 'renderer', 'index.html')"],
    ['scripts/test-all.sh', 'cd "$(dirname "$0")/.."'],
    ['eslint.config.js', "// Exactly k leading '../' (not k+1)."],
    ['shared/x.ts', "if (rel.startsWith('../') || rel === '..') return false;"],
    ['README.md', 'https://example.com/a/../b'],
  ])('%s: %s stays inside', (file, line) => {
    expect(relativeOutsideIn(file, line)).toBeUndefined();
  });

  it.each([
    ['cat /work/shared/DESIGN.md', '/work/'],
    ["const home = '/home/alice/src/kumiko';", '/home/alice'],
    ['open /Users/bob/Desktop/report.pdf', '/Users/bob'],
    ['export NPM_CONFIG_CACHE=/root/.npm', '/root/'],
    ['copy C:\\Users\\carol\\kumiko', 'C:\\Users\\'],
    ["'C:\\\\Users\\\\dave'", 'C:\\\\Users\\\\'],
  ])('%s names a development machine (%s)', (line, found) => {
    expect(machinePathIn(line)).toBe(found);
  });

  it.each([
    '/usr/lib/postgresql/15/bin/initdb --data-checksums',
    'cat /etc/pgbackrest/pgbackrest.conf',
    'PGDATA=/var/lib/postgresql/15/main',
    "mkdtemp('/tmp/kumiko-')",
    "chromium: '/usr/bin/chromium'",
    "expect(p).toBe('/srv/root/opt/kumiko-agent/runtime/bin/node');",
    'bundlePath: `/home/admin/.config/kumiko-recovery/reports/${id}`',
    "fetch('https://api.example.com/Users/42/')",
    "router.get('/users/:id')",
  ])('%s is not a development machine path', (line) => {
    expect(machinePathIn(line)).toBeUndefined();
  });

  it('reports the line of every offence and honours exemptions', () => {
    const text = '# Design\n\nSee [notes](../shared/notes/radosgw.md).\nbuilt in /work/main\n';
    expect(outsidePathsIn('README.md', text).map((r) => [r.line, r.text])).toEqual([
      [3, 'See [notes](../shared/notes/radosgw.md).'],
      [4, 'built in /work/main'],
    ]);
    const vite = "  build: {\n    outDir: '../dist/renderer',\n  },";
    expect(outsidePathsIn('vite.config.ts', vite)).toEqual([]);
    expect(outsidePathsIn('other.config.ts', vite)).toHaveLength(1);
  });
});
