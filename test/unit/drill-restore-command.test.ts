import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  restoreCommandOf,
  stagedRestoreCommand,
  synchronousRestoreCommand,
} from '../../agent/drill/restore-command';
import { MAX_STAGED_SEGMENTS, recoveryWalNames } from '../../agent/drill/wal-staging';

// What pgBackRest 2.x writes into postgresql.auto.conf for `restore --type=immediate`.
const WRITTEN =
  "restore_command = 'pgbackrest --config=/etc/kumiko-agent/pgbackrest.conf --lock-path=/d/x/lock " +
  '--log-path=/d/x/log --pg1-path=/d/x/data --spool-path=/d/x/spool --stanza=main archive-get %f "%p"\'';

describe('drill restore_command', () => {
  it('reads the last restore_command of a postgresql.auto.conf, unquoted', () => {
    const conf = `# Do not edit\nrestore_command = 'old'\n${WRITTEN}\nrecovery_target = 'immediate'\n`;
    expect(restoreCommandOf(conf)).toMatch(/^pgbackrest --config=.* archive-get %f "%p"$/);
    expect(restoreCommandOf("restore_command = 'cp ''/a b''/%f %p'")).toBe("cp '/a b'/%f %p");
    expect(restoreCommandOf("# restore_command = 'x'\nport = 5")).toBeNull();
  });

  it('turns asynchronous archive-get off and drops the spool path it would refuse', () => {
    const command = restoreCommandOf(WRITTEN) ?? '';
    expect(synchronousRestoreCommand(command)).toBe(
      'pgbackrest --config=/etc/kumiko-agent/pgbackrest.conf --lock-path=/d/x/lock ' +
        '--log-path=/d/x/log --pg1-path=/d/x/data --stanza=main --no-archive-async archive-get %f "%p"',
    );
    expect(
      synchronousRestoreCommand('pgbackrest --archive-async --stanza=main archive-get %f "%p"'),
    ).toBe('pgbackrest --stanza=main --no-archive-async archive-get %f "%p"');
  });

  it('leaves a command that is not pgBackRest archive-get alone', () => {
    expect(synchronousRestoreCommand('cp /archive/%f "%p"')).toBeNull();
    expect(synchronousRestoreCommand('pgbackrest --stanza=main info')).toBeNull();
  });
});

describe('WAL staged for a drill recovery', () => {
  it('names the backup segments, the one after, and the two history files', () => {
    expect(recoveryWalNames('00000001000000000000003A', '00000001000000000000003B')).toEqual({
      segments: [
        '00000001000000000000003A',
        '00000001000000000000003B',
        '00000001000000000000003C',
      ],
      histories: ['00000001.history', '00000002.history'],
    });
    expect(recoveryWalNames('0000000A00000002000000FF', '0000000A00000002000000FF')).toEqual({
      segments: ['0000000A00000002000000FF', '0000000A0000000200000100'],
      histories: ['0000000A.history', '0000000B.history'],
    });
  });

  it('counts no segments across a log boundary or a timeline switch, and caps the count', () => {
    expect(
      recoveryWalNames('0000000100000002000000FF', '000000010000000300000000').segments,
    ).toEqual(['0000000100000002000000FF', '000000010000000300000000']);
    expect(
      recoveryWalNames('000000010000000000000010', '000000020000000000000011').segments,
    ).toEqual(['000000010000000000000010', '000000020000000000000011']);
    const many = recoveryWalNames('000000010000000000000000', '0000000100000000000000FF');
    expect(many.segments).toHaveLength(MAX_STAGED_SEGMENTS);
    expect(many.segments.at(-1)).toBe('00000001000000000000000F');
  });

  it('stages nothing for a backup without a WAL range', () => {
    expect(recoveryWalNames(null, null)).toEqual({ segments: [], histories: [] });
    expect(recoveryWalNames('not-a-segment', '00000001000000000000003A').segments).toEqual([]);
  });

  it('looks in the staging folder first, answers marked history files at once, else asks pgBackRest', () => {
    const sync = 'pgbackrest --stanza=main --no-archive-async archive-get %f "%p"';
    expect(stagedRestoreCommand(sync, "/d/it's/wal")).toBe(
      `if [ -f '/d/it'\\''s/wal/'%f ]; then cp '/d/it'\\''s/wal/'%f "%p"; ` +
        `elif [ -f '/d/it'\\''s/wal/'%f.absent ]; then exit 1; ` +
        `else ${sync}; fi`,
    );
  });
});

describe('the staged restore_command in sh, as PostgreSQL runs it', () => {
  /** Substitutes %f and %p as PostgreSQL does and runs the command; its exit code. */
  const restore = (command: string, file: string, dest: string): number => {
    try {
      execFileSync('sh', ['-c', command.replace(/%f/g, file).replace(/%p/g, dest)]);
      return 0;
    } catch (error) {
      return (error as { status: number }).status;
    }
  };

  it('copies a staged file, answers an absent history file with 1, and falls back otherwise', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-staged-'));
    try {
      const wal = path.join(dir, 'wal');
      fs.mkdirSync(wal);
      fs.writeFileSync(path.join(wal, '00000001000000000000003A'), 'segment');
      fs.writeFileSync(path.join(wal, '00000002.history.absent'), '');
      const fallback = `echo "fetched %f" > "%p"`;
      const command = stagedRestoreCommand(fallback, wal);
      const dest = path.join(dir, 'RECOVERYXLOG');

      expect(restore(command, '00000001000000000000003A', dest)).toBe(0);
      expect(fs.readFileSync(dest, 'utf8')).toBe('segment');
      expect(restore(command, '00000002.history', dest)).toBe(1);
      expect(restore(command, '00000001000000000000003B', dest)).toBe(0);
      expect(fs.readFileSync(dest, 'utf8')).toBe('fetched 00000001000000000000003B\n');
      // The fallback's own "not found" still reaches PostgreSQL.
      expect(restore(stagedRestoreCommand('exit 1', wal), '00000003.history', dest)).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
