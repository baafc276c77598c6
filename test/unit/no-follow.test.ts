import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readNoFollow,
  replaceOwnedFile,
  UntrustedFileError,
  writeExclusive,
} from '../../agent/runtime/no-follow';

// The agent's reads and writes of files in folders another OS user can write (a drill's data
// directory and logs): a symlink, a FIFO or a file of someone else is refused, never followed,
// written or waited on (issue 15 §2).

let dir: string;
let outside: string;
const me = process.getuid?.() ?? 0;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-no-follow-'));
  outside = path.join(dir, 'outside');
  fs.writeFileSync(outside, 'secret\n', { mode: 0o600 });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readNoFollow', () => {
  it('reads a regular file of an expected owner, or its tail; null when there is none', () => {
    const file = path.join(dir, 'log');
    fs.writeFileSync(file, 'first\nsecond\n');
    expect(readNoFollow(file, [me], 'read')).toBe('first\nsecond\n');
    expect(readNoFollow(file, null, 'read', 7)).toBe('second\n');
    expect(readNoFollow(path.join(dir, 'missing'), [me], 'read')).toBeNull();
  });

  it('refuses a symlink, a FIFO (without blocking) and a file of another owner', () => {
    const link = path.join(dir, 'postgresql.auto.conf');
    fs.symlinkSync(outside, link);
    expect(() => readNoFollow(link, [me], 'start')).toThrow(UntrustedFileError);
    expect(() => readNoFollow(link, null, 'start')).toThrow(/symbolic link, not a regular file/);
    const fifo = path.join(dir, 'postmaster.pid');
    execFileSync('mkfifo', [fifo]);
    expect(() => readNoFollow(fifo, null, 'start')).toThrow(/is not a regular file/);
    expect(() => readNoFollow(outside, [me + 1], 'start')).toThrow(/belongs to uid/);
  });
});

describe('writeExclusive and replaceOwnedFile', () => {
  it('never write through a symlink or into an existing file', () => {
    const link = path.join(dir, 'pg_hba.conf');
    fs.symlinkSync(outside, link);
    expect(() => writeExclusive(link, 'host all all 0.0.0.0/0 trust\n', 0o600)).toThrow(/EEXIST/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret\n');
    // Replacing swaps the entry itself (a symlink included); its old target stays as it was.
    replaceOwnedFile(link, 'local all all peer\n', 0o600, {
      uid: me,
      gid: process.getgid?.() ?? 0,
    });
    expect(fs.lstatSync(link).isFile()).toBe(true);
    expect(fs.readFileSync(link, 'utf8')).toBe('local all all peer\n');
    expect(fs.statSync(link).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['outside', 'pg_hba.conf']);
  });
});
