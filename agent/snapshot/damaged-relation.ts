import type { AgentConfig } from '../../shared/agent/config';
import { psqlQuery } from '../engines/psql';

/**
 * PostgreSQL and pgBackRest name a damaged page by its file, `base/<database oid>/<filenode>`
 * ("invalid page in block 4 of relation base/5/16414", "page verification failed … base/5/16414"):
 * true, but the admin knows tables, not file numbers.
 */
const RELATION_FILE = /\bbase\/(\d{1,10})\/(\d{1,10})\b/;

/**
 * The table (schema.name, in which database) behind the first data file `message` names, or
 * null when it names none or production cannot be asked. Only digits from the message reach
 * SQL, as numbers.
 */
export async function damagedRelation(
  config: AgentConfig,
  message: string,
): Promise<string | null> {
  const match = RELATION_FILE.exec(message);
  if (!match) return null;
  const [, databaseOid, filenode] = match;
  try {
    const database = await psqlQuery(
      config,
      `SELECT datname FROM pg_database WHERE oid = ${Number(databaseOid)}`,
      'name the damaged relation',
    );
    if (!database) return null;
    const relation = await psqlQuery(
      config,
      `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE pg_relation_filenode(c.oid) = ${Number(filenode)}`,
      'name the damaged relation',
      database,
    );
    return relation ? `${relation} in database ${database}` : null;
  } catch {
    return null;
  }
}
