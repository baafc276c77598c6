import type { AgentConfig } from '../../shared/agent/config';
import type { SmokeCheck } from '../../shared/agent/drill';
import type { DrillCheck } from '../../shared/report/drill-result';
import { errorMessage } from '../runtime/errors';
import { drillCheck, EVIDENCE } from './checks';
import { checkWord, type KnownCheckWord } from '../../shared/report/check-words';
import { prepareSmokeRole, runSandboxed, sandboxRefusal, type SmokeAccess } from './smoke-sandbox';

/** How one smoke check came out (the evidence file lists these). */
export interface SmokeOutcome {
  name: string;
  database: string;
  sql: string;
  expect: SmokeCheck['expect'];
  value: string;
  /** First column of the first row ('' for NULL); null when it returned no row or failed. */
  actual: string | null;
  passed: boolean;
  why: string;
  /** `why` as words for the report, without the check's name (the verdict adds it). */
  whyWord: KnownCheckWord;
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
): { passed: boolean; why: string; whyWord: KnownCheckWord } {
  if (actual === null)
    return { passed: false, why: 'the query returned no row', whyWord: checkWord('smoke.noRow') };
  if (check.expect === 'equals') {
    const whyWord = checkWord('smoke.notEqual', { actual, expected: check.value });
    return actual === check.value
      ? { passed: true, why: `returned "${actual}" as expected`, whyWord }
      : { passed: false, why: `returned "${actual}", expected "${check.value}"`, whyWord };
  }
  const got = asNumber(actual);
  const bound = asNumber(check.value);
  if (bound === null)
    return {
      passed: false,
      why: `the expected value "${check.value}" is no number`,
      whyWord: checkWord('smoke.boundNotNumber', { expected: check.value }),
    };
  if (got === null)
    return {
      passed: false,
      why: `returned "${actual}", which is no number`,
      whyWord: checkWord('smoke.notNumber', { actual }),
    };
  const passed = check.expect === 'atLeast' ? got >= bound : got <= bound;
  const relation = check.expect === 'atLeast' ? 'at least' : 'at most';
  return {
    passed,
    why: passed
      ? `returned ${got}, ${relation} ${bound} as expected`
      : `returned ${got}, expected ${relation} ${bound}`,
    // Values as the query returned them (strings): the report shows them as they came.
    whyWord: checkWord('smoke.outOfBound', {
      actual,
      bound: check.value,
      relation: check.expect,
    }),
  };
}

/** The SQL as run: one statement, without the trailing semicolon the admin may have typed. */
const statementOf = (sql: string): string => sql.trim().replace(/;\s*$/, '');

/**
 * Runs one smoke check in the scratch cluster, sandboxed (smoke-sandbox.ts): as the read-only
 * smoke-check role, exactly one statement, with the timeout. A refusal of the sandbox fails the
 * check with its reason.
 */
async function runOne(
  scratch: AgentConfig,
  access: SmokeAccess,
  check: SmokeCheck,
  signal?: AbortSignal,
): Promise<SmokeOutcome> {
  const base = { ...check, sql: statementOf(check.sql) };
  try {
    const actual = await runSandboxed(scratch, access, check.database, base.sql, signal);
    return { ...base, actual, ...compareSmokeValue(check, actual) };
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      ...base,
      actual: null,
      passed: false,
      ...sandboxRefusal(error, access.timeoutSeconds),
    };
  }
}

/**
 * The `smoke-checks` check: every admin-defined query against the restored database, each as
 * the throwaway cluster's smoke-check role (created first; `scratch` is the drill's config
 * pointing at the scratch cluster, drill.smokeCheckTimeoutSeconds its timeout). With none
 * defined it passes and says so (there was nothing to compare).
 */
export async function smokeChecks(
  scratch: AgentConfig,
  checks: readonly SmokeCheck[],
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; outcomes: SmokeOutcome[] }> {
  if (checks.length === 0) return { check: smokeVerdict([]), outcomes: [] };
  let access: SmokeAccess;
  try {
    access = await prepareSmokeRole(
      scratch,
      checks.map((c) => c.database),
      scratch.drill.smokeCheckTimeoutSeconds,
      signal,
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = `not run: the read-only smoke-check role could not be set up: ${errorMessage(error)}`;
    const whyWord = checkWord('smoke.roleFailed', { detail: errorMessage(error) });
    const outcomes = checks.map((c) => ({
      ...c,
      sql: statementOf(c.sql),
      actual: null,
      passed: false,
      why,
      whyWord,
    }));
    return { check: smokeVerdict(outcomes), outcomes };
  }
  const outcomes: SmokeOutcome[] = [];
  for (const check of checks) outcomes.push(await runOne(scratch, access, check, signal));
  return { check: smokeVerdict(outcomes), outcomes };
}

/** The check from the outcomes (pure, for tests). */
export function smokeVerdict(outcomes: readonly SmokeOutcome[]): DrillCheck {
  if (outcomes.length === 0) {
    return drillCheck(
      'smoke-checks',
      true,
      'no smoke checks defined',
      [EVIDENCE.smoke],
      [checkWord('smoke.none')],
    );
  }
  const failed = outcomes.filter((o) => !o.passed);
  const detail =
    failed.length === 0
      ? `${outcomes.length} of ${outcomes.length} queries returned the expected result`
      : `${failed.length} of ${outcomes.length} queries failed: ` +
        failed.map((o) => `"${o.name}" ${o.why}`).join('; ');
  const count = outcomes.length;
  const words =
    failed.length === 0
      ? [checkWord('smoke.allPassed', { count })]
      : [
          checkWord('smoke.someFailed', { failed: failed.length, count }),
          ...failed.map((o) => checkWord(o.whyWord.key, { ...o.whyWord.params, name: o.name })),
        ];
  return drillCheck('smoke-checks', failed.length === 0, detail, [EVIDENCE.smoke], words);
}
