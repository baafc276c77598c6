import { describe, expect, it } from 'vitest';
import { restoreCommandOf, synchronousRestoreCommand } from '../../agent/drill/restore-command';

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
