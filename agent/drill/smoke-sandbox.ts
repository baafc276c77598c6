import crypto from 'node:crypto';
import {
  checkWord,
  type CheckWordKey,
  type CheckWordParams,
  type KnownCheckWord,
} from '../../shared/report/check-words';
import type { AgentConfig } from '../../shared/agent/config';
import { SMOKE_CHECK_ROLE } from '../../shared/agent/smoke-sql';
import { psqlQuery } from '../engines/psql';
import { AgentError, errorMessage } from '../runtime/errors';

// Smoke checks are SQL that whoever sets them (the app, or anyone who can write the agent's
// config) chooses. Run as the superuser over psql, which sends a string of several statements
// as it is, `COMMIT; COPY (SELECT 1) TO PROGRAM '…'` ran a program as the cluster's OS user on
// the customer's server (issue 15 §5). So in the throwaway cluster only, before the checks, a
// login role is created that can read all data and nothing else, and each check runs as that
// role over its own connection: in a read-only transaction, as ONE statement sent with the
// extended query protocol (a Parse message with several statements is refused by the server:
// "cannot insert multiple commands into a prepared statement"), with a statement_timeout. The
// role dies with the throwaway cluster; production is never touched.

/**
 * A SCRAM-SHA-256 verifier for `password` in the form PostgreSQL stores (and accepts in
 * `CREATE ROLE … PASSWORD`): the server never sees the password itself, nor does its log.
 */
export function scramVerifier(
  password: string,
  salt: Buffer = crypto.randomBytes(16),
  iterations = 4096,
): string {
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (b: Buffer): string => b.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/** A SQL string literal (with standard_conforming_strings on, which the scripts set). */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** PostgreSQL's major version from the config's version ('15', '15.4', '9.6' → 9). */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]) || 0;
}

/** Predefined roles the smoke-check role must never have the rights of. */
const FORBIDDEN_ROLES = [
  'pg_execute_server_program',
  'pg_write_server_files',
  'pg_read_server_files',
  'pg_write_all_data',
  'pg_signal_backend',
];

/**
 * The script (run as the superuser in the scratch cluster's `postgres` database) that creates
 * the smoke-check role: login with `verifier`, no superuser, createdb, createrole, replication
 * or bypassrls; read-only by default, `timeoutSeconds` per statement, row security never
 * silently applied (a check on a table with a policy fails instead of counting fewer rows);
 * from PostgreSQL 14 on member of pg_read_all_data. It may connect to `databases`. A role of
 * the same name restored with the backup is renamed out of the way first. The last statement
 * prints the roles it has the rights of beyond its own and pg_read_all_data (none expected).
 */
export function smokeRoleSql(options: {
  verifier: string;
  timeoutSeconds: number;
  major: number;
  databases: readonly string[];
  /** Suffix for a restored role of the same name (random hex). */
  suffix: string;
}): string {
  const role = SMOKE_CHECK_ROLE;
  const names = `ARRAY[${options.databases.map(literal).join(', ')}]::text[]`;
  return [
    'SET standard_conforming_strings = on;',
    "SET client_min_messages = 'warning';",
    'DO $kumiko$ BEGIN',
    `  IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN`,
    `    ALTER ROLE ${role} RENAME TO ${role}_restored_${options.suffix};`,
    '  END IF;',
    'END $kumiko$;',
    `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS` +
      ` INHERIT CONNECTION LIMIT 8 PASSWORD ${literal(options.verifier)};`,
    `ALTER ROLE ${role} SET default_transaction_read_only = on;`,
    `ALTER ROLE ${role} SET statement_timeout = ${literal(`${options.timeoutSeconds}s`)};`,
    `ALTER ROLE ${role} SET row_security = off;`,
    ...(options.major >= 14 ? [`GRANT pg_read_all_data TO ${role};`] : []),
    'DO $kumiko$ DECLARE d text; BEGIN',
    `  FOR d IN SELECT datname FROM pg_database WHERE datallowconn AND datname = ANY (${names}) LOOP`,
    `    EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${role}', d);`,
    '  END LOOP;',
    'END $kumiko$;',
    "SELECT coalesce(string_agg(rolname, ', ' ORDER BY rolname), '') FROM pg_roles",
    `  WHERE pg_has_role(${literal(role)}, oid, 'USAGE')`,
    `  AND (rolsuper OR rolname = ANY (ARRAY[${FORBIDDEN_ROLES.map(literal).join(', ')}]));`,
    '',
  ].join('\n');
}

/**
 * Before PostgreSQL 14 (no pg_read_all_data): the script run in each database a check names
 * that lets the role read it: USAGE on its schemas and SELECT on their tables and sequences
 * (not pg_catalog's or information_schema's, which it reads as every role does).
 */
export function legacyReadGrantsSql(): string {
  const role = SMOKE_CHECK_ROLE;
  return [
    'SET standard_conforming_strings = on;',
    "SET client_min_messages = 'warning';",
    'DO $kumiko$ DECLARE s text; BEGIN',
    '  FOR s IN SELECT nspname FROM pg_namespace',
    "    WHERE nspname NOT IN ('pg_catalog', 'information_schema')",
    "    AND nspname !~ '^pg_(toast|temp_|toast_temp_)' LOOP",
    `    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${role}', s);`,
    `    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO ${role}', s);`,
    `    EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO ${role}', s);`,
    '  END LOOP;',
    'END $kumiko$;',
    '',
  ].join('\n');
}

/** How the smoke checks log in: the role, its password and the per-statement timeout. */
export interface SmokeAccess {
  role: string;
  password: string;
  timeoutSeconds: number;
}

/**
 * Creates the smoke-check role in the scratch cluster (never production: `scratch` points at
 * the throwaway cluster's socket and port) for checks in `databases`.
 * @throws AgentError when it cannot be created or would have more rights than reading data.
 */
export async function prepareSmokeRole(
  scratch: AgentConfig,
  databases: readonly string[],
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<SmokeAccess> {
  const step = 'smoke-check role';
  const password = crypto.randomBytes(24).toString('hex');
  const major = majorOf(scratch.pg.version);
  const unique = [...new Set(databases)];
  // psql reads the script on stdin: the verifier never shows in a process list.
  const extra = await psqlQuery(
    scratch,
    smokeRoleSql({
      verifier: scramVerifier(password),
      timeoutSeconds,
      major,
      databases: unique,
      suffix: crypto.randomBytes(4).toString('hex'),
    }),
    step,
    'postgres',
    signal,
  );
  if (extra !== '') {
    throw new AgentError(
      step,
      `in this backup the role would have more rights than reading data (through ${extra}), so no smoke check is run`,
    );
  }
  if (major < 14) {
    const existing = await psqlQuery(
      scratch,
      `SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1`,
      step,
      'postgres',
      signal,
    );
    const names = new Set(existing.split('\n'));
    for (const db of unique.filter((d) => names.has(d))) {
      await psqlQuery(scratch, legacyReadGrantsSql(), step, db, signal);
    }
  }
  return { role: SMOKE_CHECK_ROLE, password, timeoutSeconds };
}

/**
 * Why a smoke check failed, from the error its sandboxed run threw: the sandbox's refusals
 * (several statements, no permission, a write, the timeout) named as such; anything else is
 * the query's own error.
 */
export function sandboxReason(error: unknown, timeoutSeconds: number): string {
  return sandboxRefusal(error, timeoutSeconds).why;
}

/**
 * {@link sandboxReason} with its words for the report (without the check's `name`, which the
 * verdict adds).
 */
export function sandboxRefusal(
  error: unknown,
  timeoutSeconds: number,
): { why: string; whyWord: KnownCheckWord } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = errorMessage(error);
  const said = (why: string, key: CheckWordKey, params?: CheckWordParams) => ({
    why,
    whyWord: checkWord(key, params),
  });
  if (code === '42601' && /multiple commands/.test(message)) {
    return said(
      'refused: it holds more than one SQL statement; a smoke check runs exactly one',
      'smoke.multipleStatements',
    );
  }
  if (/row-level security/.test(message)) {
    return said(
      `refused: a table it reads has row-level security, which smoke checks do not bypass (${message})`,
      'smoke.rowSecurity',
      { detail: message },
    );
  }
  if (code === '42501') {
    return said(
      `refused: permission denied, as smoke checks run as a role that may only read data (${message})`,
      'smoke.permissionDenied',
      { detail: message },
    );
  }
  if (code === '25006') {
    return said(
      `refused: it tried to write, and smoke checks run read-only (${message})`,
      'smoke.triedToWrite',
      { detail: message },
    );
  }
  if (code === '57014' && /statement timeout/.test(message)) {
    return said(
      `cancelled: it ran longer than the smoke-check timeout of ${timeoutSeconds} s`,
      'smoke.timedOut',
      { seconds: timeoutSeconds },
    );
  }
  if (code === 'KUMIKO_CONNECT') {
    return said(`not run: ${message}`, 'smoke.notConnected', { detail: message });
  }
  if (code === 'KUMIKO_CLIENT_TIMEOUT') {
    return said(
      `cancelled: no answer within the smoke-check timeout of ${timeoutSeconds} s`,
      'smoke.noAnswer',
      { seconds: timeoutSeconds },
    );
  }
  return said(`the query failed: ${message}`, 'smoke.queryFailed', { detail: message });
}

// Every value as PostgreSQL's text output (as psql printed them before: t/f, 1.50, …).
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * Runs one smoke check's `sql` in database `database` of the scratch cluster as the smoke-check
 * role: BEGIN READ ONLY, the check as one extended-protocol statement, ROLLBACK. Returns the
 * first column of the first row as text ('' for NULL), or null when it returned no row.
 * @throws the server's error (with its SQLSTATE `code`), for {@link sandboxReason}.
 */
export async function runSandboxed(
  scratch: AgentConfig,
  access: SmokeAccess,
  database: string,
  sql: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const { default: pg } = await import('pg');
  const timeoutMs = access.timeoutSeconds * 1000;
  // A database name goes into the startup message as it is (never parsed as a conninfo).
  const client = new pg.Client({
    host: scratch.pg.socketDirectory,
    port: scratch.pg.port,
    user: access.role,
    password: access.password,
    database,
    application_name: 'kumiko smoke check',
    connectionTimeoutMillis: 30_000,
    statement_timeout: timeoutMs,
    options: '-c default_transaction_read_only=on -c row_security=off',
  });
  client.on('error', () => undefined);
  const abort = (): void => void client.end().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  // The server cancels at the timeout; this is in case it does not answer at all.
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort();
      reject(Object.assign(new Error('no answer'), { code: 'KUMIKO_CLIENT_TIMEOUT' }));
    }, timeoutMs + 30_000);
  });
  stuck.catch(() => undefined);
  try {
    const run = async (): Promise<string | null> => {
      await client.connect().catch((error: unknown) => {
        throw Object.assign(
          new Error(`could not connect to database "${database}": ${errorMessage(error)}`),
          { code: 'KUMIKO_CONNECT' },
        );
      });
      // The role has no superuser rights by construction; refuse to go on if it had.
      const superuser = await client.query<{ is_superuser: string }>('SHOW is_superuser');
      if (superuser.rows[0]?.is_superuser !== 'off') {
        throw new Error('the smoke-check session has superuser rights; nothing is run');
      }
      await client.query('BEGIN READ ONLY');
      // A named statement always goes Parse/Bind/Execute (the extended protocol), where the
      // server refuses a string of several statements instead of running them one by one.
      const result = await client.query<unknown[]>({
        name: 'kumiko_smoke_check',
        text: sql,
        values: [],
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      await client.query('ROLLBACK');
      const rows = Array.isArray(result.rows) ? result.rows : [];
      const first = rows[0];
      if (!first) return null;
      const value = first[0];
      return value === null || value === undefined ? '' : String(value);
    };
    return await Promise.race([run(), stuck]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
}
