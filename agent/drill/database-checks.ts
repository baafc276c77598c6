import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import type { DrillCheck } from '../../shared/report/drill-result';
import type { RecoveryOutcome } from '../../shared/restore/recovery-log';
import { psqlQuery } from '../engines/psql';
import { runTool } from '../runtime/exec';
import { checkWord, type CheckWord } from '../../shared/report/check-words';
import { drillCheck, EVIDENCE } from './checks';

/**
 * `cluster-starts`: the restored cluster was promoted, answers queries, and does not archive
 * (a scratch cluster that archived would push a timeline into the production repository).
 */
export async function clusterStartsCheck(
  scratch: AgentConfig,
  outcome: RecoveryOutcome,
  label: string,
  signal?: AbortSignal,
): Promise<DrillCheck> {
  const answer = await psqlQuery(
    scratch,
    "SELECT pg_is_in_recovery()::text || '|' || current_setting('archive_mode') || '|' || current_setting('server_version')",
    'check the scratch cluster',
    'postgres',
    signal,
  );
  const [recovery, archiveMode, version] = answer.split('|');
  const stopped = outcome.stoppedBeforeLsn
    ? `recovery of backup ${label} stopped before WAL position ${outcome.stoppedBeforeLsn}, where the recovery point's numbers were taken`
    : outcome.stoppedAtConsistency
      ? `recovery stopped where backup ${label} became consistent`
      : `the log does not show recovery stopping at the end of backup ${label}`;
  const passed = recovery === 'false' && archiveMode === 'off';
  const versionNumber = version?.split(' ')[0] ?? '?';
  const words: CheckWord[] = [
    checkWord('clusterStarts.accepts', { version: versionNumber, port: String(scratch.pg.port) }),
    recovery === 'false'
      ? checkWord('clusterStarts.promoted', { timeline: String(outcome.newTimeline ?? '?') })
      : checkWord('clusterStarts.stillInRecovery'),
    outcome.stoppedBeforeLsn
      ? checkWord('clusterStarts.stoppedBeforeLsn', { label, lsn: outcome.stoppedBeforeLsn })
      : outcome.stoppedAtConsistency
        ? checkWord('clusterStarts.stoppedAtConsistency', { label })
        : checkWord('clusterStarts.noRecoveryEnd', { label }),
    checkWord('clusterStarts.archiveMode', { mode: archiveMode ?? '?' }),
  ];
  const detail = [
    // Debian reports "15.8 (Debian 15.8-1.pgdg120+1)": the version number is what matters.
    `PostgreSQL ${versionNumber} accepts connections on port ${scratch.pg.port}`,
    recovery === 'false'
      ? `promoted onto timeline ${outcome.newTimeline ?? '?'}`
      : 'still in recovery',
    stopped,
    `archive_mode ${archiveMode ?? '?'}`,
  ].join('; ');
  return drillCheck(
    'cluster-starts',
    passed,
    detail,
    [EVIDENCE.restore, EVIDENCE.serverLog],
    words,
  );
}

/** How pg_amcheck runs in a drill (the drill's `amcheckHeapAllIndexed` setting). */
export interface AmcheckMode {
  /**
   * --heapallindexed: every heap tuple must also have its entry in each B-tree index. Without
   * it pg_amcheck still reads every heap page and checks every B-tree's structure.
   */
  heapAllIndexed: boolean;
}

/**
 * pg_amcheck's arguments for a mode. --install-missing puts the amcheck extension into the
 * throwaway cluster only. Two jobs check a table's heap and its indexes at the same time: on a
 * 1 GB pgbench cluster with 2 cores, alone, 1.8 s down to 1.0 s for the plain check and 8.8 s
 * to 8.0 s with --heapallindexed (whose index pass reads the heap itself, so it gains less);
 * beside the drill's table checksums, which share the cores, it is about even (2.1 s both).
 */
export function amcheckArgs(scratch: AgentConfig, mode: AmcheckMode): string[] {
  return [
    '--all',
    '--install-missing',
    ...(mode.heapAllIndexed ? ['--heapallindexed'] : []),
    '--jobs=2',
    '--progress',
    '-h',
    scratch.pg.socketDirectory,
    '-p',
    String(scratch.pg.port),
    '-U',
    scratch.pg.osUser,
  ];
}

/** What the check's detail says was checked, per mode. */
export function amcheckScope(mode: AmcheckMode): string {
  return mode.heapAllIndexed
    ? 'heap and B-tree indexes, with --heapallindexed: every row found in each index'
    : 'heap and B-tree index structure, without --heapallindexed';
}

/**
 * `amcheck`: pg_amcheck over every database, heap and B-tree; with --heapallindexed only when
 * the drill's settings ask for it (it costs several seconds per GB, which is RTO). Exit 0: no
 * corruption; 2: corruption found; anything else: it could not check.
 */
export async function amcheckCheck(
  scratch: AgentConfig,
  mode: AmcheckMode,
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; evidence: string }> {
  const args = amcheckArgs(scratch, mode);
  const result = await runTool(path.join(scratch.pg.binDirectory, 'pg_amcheck'), args, {
    runAs: scratch.pg.osUser,
    step: 'pg_amcheck',
    check: false,
    signal,
    timeoutMs: 6 * 3600_000,
  });
  // --progress redraws one line with \r; the last state says how much was checked.
  const progress = [
    ...result.stderr.matchAll(/(\d+)\/(\d+) relations \(\d+%\),\s+(\d+)\/(\d+) pages/g),
  ].at(-1);
  const counted = progress ? `${progress[1]} relations, ${progress[3]} pages checked` : null;
  const findings = result.stdout.split('\n').filter((l) => l.trim() !== '').length;
  const errors = result.stderr
    .split(/[\r\n]/)
    .filter((l) => /error|warning/i.test(l))
    .slice(-5);
  const passed = result.code === 0 && findings === 0;
  const scope = amcheckScope(mode);
  const deep = mode.heapAllIndexed ? 'yes' : 'no';
  const toolWords = (lines: string[], none: string) => lines.join(' / ') || none;
  const word = passed
    ? progress
      ? checkWord('amcheck.passed', {
          relations: Number(progress[1]),
          pages: Number(progress[3]),
          deep,
        })
      : checkWord('amcheck.passedUncounted', { deep })
    : result.code === 2 || findings > 0
      ? checkWord('amcheck.corruption', {
          lines: findings,
          deep,
          detail: toolWords(result.stdout.trim().split('\n').slice(0, 3), ''),
        })
      : checkWord('amcheck.couldNotCheck', {
          code: String(result.code),
          deep,
          detail: toolWords(errors, 'no message'),
        });
  const detail = passed
    ? `${counted ?? 'all relations checked'} (${scope}), no corruption`
    : result.code === 2 || findings > 0
      ? `pg_amcheck reports corruption (${findings} lines; ${counted ?? 'progress unknown'}; ${scope}): ${result.stdout.trim().split('\n').slice(0, 3).join(' / ')}`
      : `pg_amcheck could not check (exit code ${result.code}; ${scope}): ${errors.join(' / ') || 'no message'}`;
  const evidence = [
    `$ pg_amcheck ${args.join(' ')}`,
    `mode: ${mode.heapAllIndexed ? 'deep index check' : 'standard'} (${scope})`,
    `exit code: ${result.code}`,
    counted ? `checked: ${counted}` : 'checked: unknown',
    '',
    '--- findings (stdout) ---',
    result.stdout.trim() || '(none)',
    '',
    '--- messages (stderr, progress lines dropped) ---',
    result.stderr
      .split(/[\r\n]/)
      .filter((l) => l.trim() !== '' && !/relations \(\d+%\)/.test(l))
      .join('\n') || '(none)',
    '',
  ].join('\n');
  return { check: drillCheck('amcheck', passed, detail, [EVIDENCE.amcheck], [word]), evidence };
}
