import { shq } from '../../shared/shell-quote';

/**
 * The restored cluster's restore_command, made synchronous for a drill.
 *
 * The installer turns on asynchronous archive-get (archive-async=y, good for production's
 * archive-push and for a long point-in-time replay). A drill replays only the backup's own
 * WAL, one or two segments, and then PostgreSQL asks for a few files that are not there (the
 * next timeline's history) before promoting. Asynchronously, each such ask starts a background
 * fetch of several segments ahead and waits for it: 1.5 s from start to promotion on a 1 GB
 * pgbench cluster, against 0.8 s with plain archive-get. `--no-archive-async` also makes
 * pgBackRest refuse a --spool-path, so that option goes.
 */

/** The value of `restore_command` in a postgresql.auto.conf (the last one wins), unquoted. */
export function restoreCommandOf(autoConf: string): string | null {
  let found: string | null = null;
  for (const line of autoConf.split('\n')) {
    const match = /^\s*restore_command\s*=\s*'((?:[^']|'')*)'\s*$/.exec(line);
    if (match?.[1] !== undefined) found = match[1].replace(/''/g, "'");
  }
  return found;
}

/**
 * pgBackRest's restore_command with synchronous archive-get; null when the command is not a
 * pgBackRest archive-get (then it is left as it is).
 */
export function synchronousRestoreCommand(command: string): string | null {
  if (!/^pgbackrest\s/.test(command) || !/\sarchive-get\s/.test(command)) return null;
  return command
    .replace(/\s--(?:no-)?archive-async(?=\s)/g, '')
    .replace(/\s--spool-path=(?:"[^"]*"|'[^']*'|\S+)/g, '')
    .replace(/\sarchive-get\s/, ' --no-archive-async archive-get ');
}

/**
 * `command` behind a local folder of WAL staged for this recovery (wal-staging.ts): a file in
 * `dir` is copied from there; a history file marked `<name>.absent` is answered "not found" at
 * once (exit 1, which PostgreSQL reads as absent); anything else goes to `command` as before.
 * PostgreSQL runs restore_command with sh, so this is one sh if/elif/else.
 */
export function stagedRestoreCommand(command: string, dir: string): string {
  const staged = (suffix: string) => shq(`${dir}/`) + `%f${suffix}`;
  return (
    `if [ -f ${staged('')} ]; then cp ${staged('')} "%p"; ` +
    `elif [ -f ${staged('.absent')} ]; then exit 1; ` +
    `else ${command}; fi`
  );
}
