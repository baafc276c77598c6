import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareParent } from '../../agent/rebuild/safe-parent';

// Root moves a restored data directory and attached files only into folders nobody else can
// change (DESIGN.md §6): a folder another user can write is refused, whatever it is named.

const isRoot = process.getuid?.() === 0;
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-safe-parent-'));
  fs.chmodSync(dir, 0o755);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(isRoot)('rebuild: where root may move things', () => {
  it("creates missing folders as root's, 0755", () => {
    const target = path.join(dir, 'var/lib/postgresql/15');
    expect(prepareParent(target, 'root')).toBe('root');
    const st = fs.statSync(target);
    expect(st.uid).toBe(0);
    expect(st.mode & 0o777).toBe(0o755);
  });

  it('refuses a folder others can write', () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    expect(() => prepareParent(path.join(open, 'main'), 'root')).toThrow(
      /can be changed by another user than root/,
    );
    expect(fs.existsSync(path.join(open, 'main'))).toBe(false);
  });

  it("refuses another user's folder, and takes the cluster user's only when asked", () => {
    const theirs = path.join(dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 65534, 65534);
    expect(() => prepareParent(theirs, 'root')).toThrow(/another user than root/);
    expect(prepareParent(theirs, 'cluster', 65534)).toBe('cluster');
    // Below the cluster user's folder (Debian's /var/lib/postgresql) root makes nothing: the
    // walk stops there and the user makes the rest.
    expect(prepareParent(path.join(theirs, '15', 'main'), 'cluster', 65534)).toBe('cluster');
    expect(fs.existsSync(path.join(theirs, '15'))).toBe(false);
    expect(() => prepareParent(path.join(theirs, '15'), 'root')).toThrow(/another user than root/);
  });

  it('refuses a symlink on the way', () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    fs.symlinkSync(real, path.join(dir, 'link'));
    expect(() => prepareParent(path.join(dir, 'link', 'main'), 'root')).toThrow(/not a folder/);
  });
});
