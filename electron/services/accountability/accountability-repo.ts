import type {
  AccountabilityEntry,
  AccountabilityFacts,
  AccountabilityFilter,
  AccountabilityResult,
  AccountabilityVerdict,
} from '../../../shared/contract';
import { AppError } from '../app-error';
import type { Db } from '../store/database';
import { GENESIS_HASH, entryHash, firstBreak } from './chain';

/** What a service tells the log; who and when are added here. */
export interface AccountabilityRecord {
  action: string;
  serverId?: string | null;
  target?: AccountabilityFacts;
  params?: AccountabilityFacts;
  result: AccountabilityResult;
  errorCode?: string | null;
}

interface Row {
  seq: number;
  at: string;
  os_user: string;
  actor_name: string;
  action: string;
  server_id: string | null;
  target_json: string;
  params_json: string;
  result: string;
  error_code: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The log's rows in SQLite. Only INSERT: the table's triggers refuse UPDATE and DELETE. Each
 * append reads the last hash and inserts inside one immediate transaction, so two processes
 * (the console and a CLI call) never both link to the same predecessor.
 */
export class AccountabilityRepo {
  constructor(private readonly db: Db) {}

  append(
    record: AccountabilityRecord,
    who: { osUser: string; actorName: string },
  ): AccountabilityEntry {
    return this.db
      .transaction(() => {
        const last = this.db
          .prepare('SELECT seq, hash FROM accountability_log ORDER BY seq DESC LIMIT 1')
          .get() as { seq: number; hash: string } | undefined;
        const unhashed = {
          seq: (last?.seq ?? 0) + 1,
          at: new Date().toISOString(),
          osUser: who.osUser,
          actorName: who.actorName,
          action: record.action,
          serverId: record.serverId ?? null,
          target: record.target ?? {},
          params: record.params ?? {},
          result: record.result,
          errorCode: record.errorCode ?? null,
          prevHash: last?.hash ?? GENESIS_HASH,
        };
        const entry = { ...unhashed, hash: entryHash(unhashed) };
        this.db
          .prepare(
            `INSERT INTO accountability_log (seq, at, os_user, actor_name, action, server_id,
               target_json, params_json, result, error_code, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            entry.seq,
            entry.at,
            entry.osUser,
            entry.actorName,
            entry.action,
            entry.serverId,
            JSON.stringify(entry.target),
            JSON.stringify(entry.params),
            entry.result,
            entry.errorCode,
            entry.prevHash,
            entry.hash,
          );
        return entry;
      })
      .immediate();
  }

  /** Newest first, at most `limit` (default 500), and how many matched. */
  list(filter: AccountabilityFilter): { entries: AccountabilityEntry[]; total: number } {
    const { where, args } = whereOf(filter);
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM accountability_log ${where}`).get(...args) as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM accountability_log ${where} ORDER BY seq DESC LIMIT ?`)
      .all(...args, filter.limit ?? 500) as Row[];
    return { entries: rows.map(entryOf), total };
  }

  /** Walks the whole chain in order (a desktop's log: thousands of rows, not millions). */
  verify(): AccountabilityVerdict {
    const entries = (
      this.db.prepare('SELECT * FROM accountability_log ORDER BY seq').all() as Row[]
    ).map(entryOf);
    const broken = firstBreak(entries);
    return {
      intact: broken === null,
      entries: entries.length,
      firstBroken: broken,
      lastHash: broken ? null : (entries.at(-1)?.hash ?? null),
    };
  }
}

function whereOf(filter: AccountabilityFilter): { where: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.serverId) {
    clauses.push('server_id = ?');
    args.push(filter.serverId);
  }
  if (filter.action) {
    clauses.push('action = ?');
    args.push(filter.action);
  }
  if (filter.result) {
    clauses.push('result = ?');
    args.push(filter.result);
  }
  if (filter.who) {
    clauses.push('(instr(lower(os_user), lower(?)) > 0 OR instr(lower(actor_name), lower(?)) > 0)');
    args.push(filter.who, filter.who);
  }
  if (filter.from) {
    clauses.push('at >= ?');
    args.push(instantOf(filter.from, 'from'));
  }
  if (filter.to) {
    clauses.push('at < ?');
    args.push(endOf(filter.to));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/** A bare date means up to the end of that day (UTC); a time means that moment. */
function endOf(to: string): string {
  const date = new Date(instantOf(to, 'to'));
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

function instantOf(text: string, field: 'from' | 'to'): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new AppError('INVALID_INPUT', `The ${field} date is not a date: use YYYY-MM-DD.`);
  return date.toISOString();
}

function entryOf(row: Row): AccountabilityEntry {
  return {
    seq: row.seq,
    at: row.at,
    osUser: row.os_user,
    actorName: row.actor_name,
    action: row.action,
    serverId: row.server_id,
    target: factsOf(row.target_json),
    params: factsOf(row.params_json),
    result: row.result as AccountabilityResult,
    errorCode: row.error_code,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A row edited into something that is not JSON still reads; its hash then no longer matches. */
function factsOf(json: string): AccountabilityFacts {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as AccountabilityFacts;
  } catch {
    // fall through
  }
  return { unreadable: json.slice(0, 200) };
}
