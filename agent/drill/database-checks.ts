import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import type { DrillCheck } from '../../shared/report/drill-result';
import type { RecoveryOutcome } from '../../shared/restore/recovery-log';
import { psqlQuery } from '../engines/psql';
import { runTool } from '../runtime/exec';
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
  const stopped = outcome.stoppedAtConsistency
    ? `recovery stopped where backup ${label} became consistent`
    : `the log does not show recovery stopping at the end of backup ${label}`;
  const passed = recovery === 'false' && archiveMode === 'off';
  const detail = [
    // Debian reports "15.8 (Debian 15.8-1.pgdg120+1)": the version number is what matters.
    `PostgreSQL ${version?.split(' ')[0] ?? '?'} accepts connections on port ${scratch.pg.port}`,
    recovery === 'false'
      ? `promoted onto timeline ${outcome.newTimeline ?? '?'}`
      : 'still in recovery',
    stopped,
    `archive_mode ${archiveMode ?? '?'}`,
  ].join('; ');
  return drillCheck('cluster-starts', passed, detail, [EVIDENCE.restore, EVIDENCE.serverLog]);
}

/**
 * `amcheck`: pg_amcheck over every database, heap and B-tree, with --heapallindexed (every
 * heap tuple must have its index entries: slower, but a drill runs quarterly and mid-market
 * clusters are 1-50 GB). --install-missing puts the amcheck extension into the throwaway
 * cluster only. Exit 0: no corruption; 2: corruption found; anything else: it could not check.
 */
export async function amcheckCheck(
  scratch: AgentConfig,
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; evidence: string }> {
  const args = [
    '--all',
    '--install-missing',
    '--heapallindexed',
    '--progress',
    '-h',
    scratch.pg.socketDirectory,
    '-p',
    String(scratch.pg.port),
    '-U',
    scratch.pg.osUser,
  ];
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
  const detail = passed
    ? `${counted ?? 'all relations checked'} (heap and B-tree indexes, --heapallindexed), no corruption`
    : result.code === 2 || findings > 0
      ? `pg_amcheck reports corruption (${findings} lines; ${counted ?? 'progress unknown'}): ${result.stdout.trim().split('\n').slice(0, 3).join(' / ')}`
      : `pg_amcheck could not check (exit code ${result.code}): ${errors.join(' / ') || 'no message'}`;
  const evidence = [
    `$ pg_amcheck ${args.join(' ')}`,
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
  return { check: drillCheck('amcheck', passed, detail, [EVIDENCE.amcheck]), evidence };
}
