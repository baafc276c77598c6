import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  judgePreflight,
  preflightScript,
  type PreflightInput,
} from '../../electron/services/rebuild/rebuild-preflight';

const input: PreflightInput = {
  pgMajor: '15',
  dataDirectory: '/var/lib/postgresql/15/main',
  port: 5432,
  restoreBytes: 2e9,
  hasRoot: true,
};

/** Facts of a host that is ready: Debian 12, 10 GB free, port free, PostgreSQL 15 there. */
function ready(): Map<string, string> {
  return new Map([
    ['os', 'debian 12'],
    ['freeKb', String(10e9 / 1024)],
    ['portBusy', 'no'],
    ['pgBinaries', 'yes'],
    ['pgbackrest', 'yes'],
    ['restic', 'yes'],
    ['clock', '1000'],
  ]);
}

const failing = (facts: Map<string, string>, over: Partial<PreflightInput> = {}) =>
  judgePreflight({ ...input, ...over }, facts, 1000)
    .filter((c) => !c.ok)
    .map((c) => c.name);

describe('rebuild pre-flight', () => {
  it('passes a ready host', () => {
    expect(failing(ready())).toEqual([]);
  });

  it('wants the backup plus its margin on the disk', () => {
    const facts = ready();
    facts.set('freeKb', String(2.5e9 / 1024));
    expect(failing(facts)).toEqual(['disk']);
    const detail = judgePreflight(input, facts, 1000).find((c) => c.name === 'disk')?.detail;
    expect(detail).toMatch(/2\.5 GB free, 3\.0 GB needed/);
  });

  it('refuses a busy port, an existing data directory, a clock off and no root', () => {
    const facts = ready();
    facts.set('portBusy', 'yes');
    facts.set('dataExists', 'yes');
    facts.set('clock', '1100');
    expect(failing(facts, { hasRoot: false }).sort()).toEqual(
      ['clock', 'data-directory', 'port', 'root'].sort(),
    );
  });

  it('accepts PostgreSQL and pgBackRest that apt can install, and refuses when it cannot', () => {
    const facts = ready();
    facts.delete('pgBinaries');
    facts.delete('pgbackrest');
    facts.set('pgCandidate', '15.10-0+deb12u1');
    facts.set('pgbackrestCandidate', '2.45-1');
    expect(failing(facts)).toEqual([]);
    facts.set('pgCandidate', '(none)');
    facts.delete('pgbackrestCandidate');
    expect(failing(facts)).toEqual(['postgres', 'pgbackrest']);
  });

  it('takes a host whose apt never updated its lists (no candidate yet) as installable after an update', () => {
    const facts = ready();
    facts.delete('pgBinaries');
    facts.delete('pgbackrest');
    facts.set('pgCandidate', '(none)');
    facts.set('pgbackrestCandidate', '(none)');
    facts.set('aptLists', '0');
    expect(failing(facts)).toEqual([]);
    const detail = (name: string) =>
      judgePreflight(input, facts, 1000).find((c) => c.name === name)?.detail;
    expect(detail('postgres')).toBe(
      "PostgreSQL 15 will be installed after apt-get update (the host's package lists are empty)",
    );
    expect(detail('pgbackrest')).toMatch(/^pgbackrest will be installed after apt-get update/);
    // Lists that are there and still have no candidate: refused as before.
    facts.set('aptLists', '3');
    expect(failing(facts)).toEqual(['postgres', 'pgbackrest']);
  });

  it('wants restic too (the attached files), installed or installable', () => {
    const facts = ready();
    facts.delete('restic');
    expect(failing(facts)).toEqual(['pgbackrest']);
    const detail = () => judgePreflight(input, facts, 1000).find((c) => c.name === 'pgbackrest');
    expect(detail()?.detail).toMatch(/^restic neither installed nor installable/);
    facts.set('resticCandidate', '0.14.0-1+b5');
    expect(failing(facts)).toEqual([]);
    expect(detail()?.detail).toBe('restic will be installed');
  });

  it('takes nothing from the host but short words and numbers', () => {
    const facts = ready();
    facts.set('os', '$(reboot) `x`');
    const os = judgePreflight(input, facts, 1000).find((c) => c.name === 'os');
    expect(os?.ok).toBe(false);
    expect(os?.detail).not.toMatch(/[$`]/);
    facts.set('freeKb', 'lots');
    expect(failing(facts)).toContain('disk');
  });

  it('asks about the port as /proc/net/tcp writes it, in hex', () => {
    expect(preflightScript({ ...input, port: 5432 })).toContain('"1538"');
    expect(preflightScript({ ...input, port: 65535 })).toContain('"FFFF"');
  });

  it('asks apt only about what is missing (each apt-cache policy reads the package lists)', () => {
    // The script in a real sh, with apt-cache, pgbackrest and restic as stubs on PATH: apt-cache
    // notes each package it is asked about. Major 99 has no binaries under /usr/lib/postgresql.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-preflight-'));
    try {
      const asked = path.join(dir, 'asked');
      const stub = (name: string, body: string) =>
        fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      stub('apt-cache', `echo "$2" >> '${asked}'; echo "  Candidate: 1.0-1"`);
      stub('pgbackrest', 'exit 0');
      // Only these on PATH, so whether this machine has restic does not matter.
      for (const tool of ['awk', 'cat', 'date', 'df', 'dirname']) {
        fs.symlinkSync(
          execFileSync('sh', ['-c', `command -v ${tool}`])
            .toString()
            .trim(),
          path.join(dir, tool),
        );
      }
      const run = (major: string) =>
        execFileSync('/bin/sh', ['-s'], {
          input: preflightScript({ ...input, pgMajor: major }),
          env: { PATH: dir },
          encoding: 'utf8',
        });
      const out = run('99');
      expect(out).toMatch(/^pgCandidate=1\.0-1$/m);
      expect(out).toMatch(/^pgbackrest=yes$/m);
      expect(out).not.toMatch(/^pgbackrestCandidate=/m);
      const askedFor = fs.readFileSync(asked, 'utf8').trim().split('\n');
      expect(askedFor.sort()).toEqual(['postgresql-99', 'restic']);
      expect(out).toMatch(/^resticCandidate=1\.0-1$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
