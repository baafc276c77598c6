import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replayLedgerFiles } from '../../agent/gdpr/file-replay';
import { subjectKeyHash } from '../../node/gdpr/ledger-object';
import type { ErasureLedgerEntry } from '../../shared/agent/erasure-ledger';

// A restore of the attached files removes what an erasure removed from the live server: the
// ledger names those files only by keyed hashes of their absolute paths.
const KEY = 'ab'.repeat(32);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function entry(id: string, files: string[]): ErasureLedgerEntry {
  return {
    format: 'kumiko-erasure-2',
    serverId: 'srv-1',
    erasureId: id,
    erasedAt: '2026-12-01T10:00:00Z',
    state: 'soft-deleted',
    database: 'app',
    targets: [{ schema: 'public', table: 't', column: 'id', keyHashes: ['0'.repeat(64)] }],
    ...(files.length ? { fileHashes: files.map((f) => subjectKeyHash(KEY, f)) } : {}),
  };
}

/** A restored tree: each original absolute path below `root`. */
function restored(files: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-file-replay-'));
  dirs.push(root);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), f);
  }
  return root;
}

describe('replayLedgerFiles', () => {
  it('removes exactly the files the entries name, by their original paths', () => {
    const root = restored(['/srv/uploads/a.pdf', '/srv/uploads/b.pdf', '/srv/uploads/sub/c.pdf']);
    const outcome = replayLedgerFiles(
      root,
      [
        entry('e1', ['/srv/uploads/a.pdf']),
        entry('e2', ['/srv/uploads/sub/c.pdf']),
        entry('e3', []),
      ],
      KEY,
    );
    expect(outcome).toEqual({ removed: 2, erasures: 2 });
    expect(fs.existsSync(path.join(root, 'srv/uploads/a.pdf'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'srv/uploads/sub/c.pdf'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'srv/uploads/b.pdf'), 'utf8')).toBe(
      '/srv/uploads/b.pdf',
    );
  });

  it('never follows a folder link out of the restored tree', () => {
    const outside = restored(['/x/a.pdf']);
    const root = restored(['/srv/uploads/keep.pdf']);
    fs.symlinkSync(path.join(outside, 'x'), path.join(root, 'srv/uploads/link'));
    const outcome = replayLedgerFiles(root, [entry('e1', ['/srv/uploads/link/a.pdf'])], KEY);
    expect(outcome.removed).toBe(0);
    expect(fs.existsSync(path.join(outside, 'x/a.pdf'))).toBe(true);
  });

  it('refuses to guess without a ledger key, and needs none when no entry names files', () => {
    const root = restored(['/srv/uploads/a.pdf']);
    expect(() => replayLedgerFiles(root, [entry('e1', ['/srv/uploads/a.pdf'])], undefined)).toThrow(
      /no valid GDPR ledger key/,
    );
    expect(replayLedgerFiles(root, [entry('e1', [])], undefined)).toEqual({
      removed: 0,
      erasures: 0,
    });
  });
});
