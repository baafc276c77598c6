/**
 * How a database is named to psql and libpq so that its name is only ever a name.
 *
 * libpq reads a `dbname` that contains `=` or starts with `postgres://` / `postgresql://` as a
 * connection string, and its keywords override what came before it (psql's -h, -p, -U): a
 * database named `host=/tmp/evil dbname=x`, whether it really exists in pg_database or a
 * manifest from the bucket only claims it, passed as `psql -d <name>` connects wherever the
 * name says. A conninfo that sets `dbname` to the quoted name is read as a connection string
 * once, and the dbname inside it is never expanded again; psql's -h and -p stay as given.
 */

/** A libpq conninfo value: single-quoted, backslash and single quote escaped. */
export function conninfoValue(value: string): string {
  if (value.includes('\0')) throw new Error('a connection value cannot hold a NUL byte');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Keywords that may go beside the database name (none of them says where to connect). */
export interface DatabaseConninfoOptions {
  /** A logical replication connection to the database (`replication=database`). */
  replication?: 'database';
}

/**
 * The conninfo naming exactly database `db` (e.g. `dbname='chinook'`).
 * @throws Error for an empty name (libpq would fall back to the user's name).
 */
export function databaseConninfo(db: string, options: DatabaseConninfoOptions = {}): string {
  if (db === '') throw new Error('a database name cannot be empty');
  const parts = [`dbname=${conninfoValue(db)}`];
  if (options.replication) parts.push(`replication=${options.replication}`);
  return parts.join(' ');
}

/** psql's argument naming database `db`: `--dbname=dbname='<db>'`, one argv element. */
export function psqlDatabaseArg(db: string, options: DatabaseConninfoOptions = {}): string {
  return `--dbname=${databaseConninfo(db, options)}`;
}
