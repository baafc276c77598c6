import type { AgentConfig } from '../../shared/agent/config';
import type { SmokeCheck } from '../../shared/agent/drill';
import type { DrillCheck } from '../../shared/report/drill-result';
import { psqlRows } from '../engines/psql';
import { errorMessage } from '../runtime/errors';
import { drillCheck, EVIDENCE } from './checks';

/** How one smoke check came out (the evidence file lists these). */
export interface SmokeOutcome {
  name: string;
  database: string;
  sql: string;
  expect: SmokeCheck['expect'];
  value: string;
  /** First column of the first row; null when the query returned no row or failed. */
  actual: string | null;
  passed: boolean;
  why: string;
}

const asNumber = (text: string): number | null => {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
};

/**
 * Compares a smoke check's first value with what the admin expects: `equals` compares the text
 * exactly (as psql prints it: `t`/`f` for booleans, NULL as ''), `atLeast`/`atMost` compare
 * both as numbers.
 */
export function compareSmokeValue(
  check: Pick<SmokeCheck, 'expect' | 'value'>,
  actual: string | null,
): { passed: boolean; why: string } {
  if (actual === null) return { passed: false, why: 'the query returned no row' };
  if (check.expect === 'equals') {
    return actual === check.value
      ? { passed: true, why: `returned "${actual}" as expected` }
      : { passed: false, why: `returned "${actual}", expected "${check.value}"` };
  }
  const got = asNumber(actual);
  const bound = asNumber(check.value);
  if (bound === null)
    return { passed: false, why: `the expected value "${check.value}" is no number` };
  if (got === null) return { passed: false, why: `returned "${actual}", which is no number` };
  const passed = check.expect === 'atLeast' ? got >= bound : got <= bound;
  const relation = check.expect === 'atLeast' ? 'at least' : 'at most';
  return {
    passed,
    why: passed
      ? `returned ${got}, ${relation} ${bound} as expected`
      : `returned ${got}, expected ${relation} ${bound}`,
  };
}

/** The SQL as run: one statement, without the trailing semicolon the admin may have typed. */
const statementOf = (sql: string): string => sql.trim().replace(/;\s*$/, '');

/** Runs one smoke check read-only in the scratch cluster. */
async function runOne(
  scratch: AgentConfig,
  check: SmokeCheck,
  signal?: AbortSignal,
): Promise<SmokeOutcome> {
  const base = { ...check, sql: statementOf(check.sql) };
  try {
    // Read-only twice over: the transaction, and the session default for anything after it.
    const rows = await psqlRows(
      scratch,
      [
        'SET default_transaction_read_only = on',
        "SET statement_timeout = '5min'",
        'BEGIN READ ONLY',
        base.sql,
        'ROLLBACK',
      ],
      `smoke check "${check.name}"`,
      { db: check.database, signal, timeoutMs: 6 * 60_000 },
    );
    const actual = rows[0]?.[0] ?? null;
    return { ...base, actual, ...compareSmokeValue(check, actual) };
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      ...base,
      actual: null,
      passed: false,
      why: `the query failed: ${errorMessage(error)}`,
    };
  }
}

/**
 * The `smoke-checks` check: every admin-defined query against the restored database. With
 * none defined it passes and says so (there was nothing to compare).
 */
export async function smokeChecks(
  scratch: AgentConfig,
  checks: readonly SmokeCheck[],
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; outcomes: SmokeOutcome[] }> {
  const outcomes: SmokeOutcome[] = [];
  for (const check of checks) outcomes.push(await runOne(scratch, check, signal));
  return { check: smokeVerdict(outcomes), outcomes };
}

/** The check from the outcomes (pure, for tests). */
export function smokeVerdict(outcomes: readonly SmokeOutcome[]): DrillCheck {
  if (outcomes.length === 0) {
    return drillCheck('smoke-checks', true, 'no smoke checks defined', [EVIDENCE.smoke]);
  }
  const failed = outcomes.filter((o) => !o.passed);
  const detail =
    failed.length === 0
      ? `${outcomes.length} of ${outcomes.length} queries returned the expected result`
      : `${failed.length} of ${outcomes.length} queries failed: ` +
        failed.map((o) => `"${o.name}" ${o.why}`).join('; ');
  return drillCheck('smoke-checks', failed.length === 0, detail, [EVIDENCE.smoke]);
}
