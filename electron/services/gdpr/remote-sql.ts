import { randomBytes } from 'node:crypto';
import { psqlDatabaseArg } from '../../../shared/postgres-conninfo';
import { shq, type RemoteShell } from '../agent-install/remote-shell';
import { AppError } from '../app-error';

// GDPR reads and erasures run psql on the server as the cluster's OS user (peer authentication
// over the Unix socket, as the agent does), with the SQL on psql's stdin through a heredoc.
// Output is one value per line (unaligned, tuples only): the scripts print JSON lines.

/** Where the cluster is on its server (from the agent install's preflight). */
export interface ClusterAccess {
  binDirectory: string;
  socketDirectory: string;
  port: number;
  osUser: string;
}

/** The shell script that runs `sql` in `database`. */
export function psqlScript(cluster: ClusterAccess, database: string, sql: string): string {
  let marker = '';
  do marker = `KUMIKO_SQL_${randomBytes(8).toString('hex')}`;
  while (sql.includes(marker));
  return [
    `${shq(`${cluster.binDirectory}/psql`)} -X -q -A -t -v ON_ERROR_STOP=1 -h ${shq(cluster.socketDirectory)} ` +
      `-p ${cluster.port} -U ${shq(cluster.osUser)} ${shq(psqlDatabaseArg(database))} <<'${marker}'`,
    sql,
    marker,
  ].join('\n');
}

/**
 * PostgreSQL's error without DETAIL, HINT and CONTEXT lines, which can quote row values
 * ("Key (email)=(x@y) is still referenced"): messages about a subject must not carry its data.
 */
export function errorWithoutValues(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => /^(psql:.*)?(ERROR|FATAL):/.test(line.trim()))
    .map((line) => line.replace(/^psql:[^:]*:\d+: /, '').trim())
    .slice(0, 3)
    .join(' ');
}

/** Runs `sql` in `database` and returns its output lines (empty lines dropped). */
export async function runSql(
  shell: RemoteShell,
  cluster: ClusterAccess,
  database: string,
  sql: string,
  step: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const result = await shell.run(step, psqlScript(cluster, database, sql), {
    asUser: cluster.osUser,
    allowFailure: true,
    signal,
  });
  if (result.code !== 0) {
    throw new AppError(
      'SSH_COMMAND_FAILED',
      `${step}: PostgreSQL refused the query (${errorWithoutValues(result.stderr) || `exit ${result.code}`}). Check that the database exists and the map fits its schema, then try again.`,
    );
  }
  return result.stdout.split('\n').filter((line) => line.length > 0);
}
