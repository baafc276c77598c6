import type { AgentConfig } from '../../shared/agent/config';
import type { DrillCheck } from '../../shared/report/drill-result';
import { pgbackrest, withRedactionMarks } from '../engines/pgbackrest';
import { checkWord } from '../../shared/report/check-words';
import { drillCheck, EVIDENCE } from './checks';

/** What `pgbackrest verify --output=text --verbose` said. */
export interface VerifyVerdict {
  ok: boolean;
  /** The `status:` of every stanza reported (`ok` or `error`). */
  statuses: string[];
  /** Files and backups it found wrong, as it named them. */
  problems: string[];
}

/**
 * Reads pgBackRest 2.45's verify output. It exits 0 even when it finds corrupt files (and
 * without --output prints nothing at all), so the verdict comes from the text: every stanza's
 * `status:` must be `ok`. Per-file findings come from its INFO log lines
 * (`invalid checksum '<backup>/pg_data/…'`, `file missing …`), per-backup ones from the
 * `backup: <label>, status: invalid` lines.
 */
export function readVerifyOutput(code: number | null, text: string): VerifyVerdict {
  const statuses: string[] = [];
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    const status = /^\s*status: (\S+)\s*$/.exec(line);
    if (status) {
      statuses.push(status[1] as string);
      continue;
    }
    const file = /INFO: ((?:invalid|missing|file missing)[^']*)'([^']+)'/.exec(line);
    if (file) {
      problems.push(`${(file[1] as string).trim()} ${file[2]}`);
      continue;
    }
    const backup = /^\s*backup: (\S+), status: (?!valid\b)([^,]+)/.exec(line);
    if (backup && !line.includes(' INFO: ')) problems.push(`backup ${backup[1]} ${backup[2]}`);
  }
  const ok = code === 0 && statuses.length > 0 && statuses.every((s) => s === 'ok');
  return { ok, statuses: [...new Set(statuses)], problems: [...new Set(problems)] };
}

/**
 * `pgbackrest-verify`: pgBackRest reads every backup file and WAL segment in the repository and
 * checks sizes and checksums. The INFO log level makes it name the files it found wrong.
 */
export async function pgbackrestVerifyCheck(
  config: AgentConfig,
  signal?: AbortSignal,
): Promise<{ check: DrillCheck; evidence: string }> {
  const args = ['verify', '--output=text', '--verbose', '--log-level-console=info'];
  const result = await pgbackrest(config, args, 'pgbackrest verify', {
    check: false,
    signal,
    // It reads the whole repository, after the drill's data is back: production comes first.
    lowPriority: true,
    timeoutMs: 6 * 3600_000,
  });
  const text = withRedactionMarks(
    [result.stdout.trim(), result.stderr.trim()].filter((t) => t !== '').join('\n'),
  );
  const verdict = readVerifyOutput(result.code, text);
  const status = verdict.statuses.join(', ') || 'unknown';
  const word = verdict.ok
    ? checkWord('verify.passed')
    : verdict.problems.length > 0
      ? checkWord('verify.problems', {
          status,
          detail: `${verdict.problems.slice(0, 5).join('; ')}${verdict.problems.length > 5 ? '; …' : ''}`,
        })
      : checkWord('verify.failed', {
          status,
          code: String(result.code),
          detail: text.split('\n').slice(-3).join(' / '),
        });
  const detail = verdict.ok
    ? 'status ok: every backup file and WAL segment in the repository has its recorded size and checksum'
    : verdict.problems.length > 0
      ? `status ${verdict.statuses.join(', ') || 'unknown'}: ${verdict.problems.slice(0, 5).join('; ')}${verdict.problems.length > 5 ? '; …' : ''}`
      : `status ${verdict.statuses.join(', ') || 'unknown'} (exit code ${result.code}): ${text.split('\n').slice(-3).join(' / ')}`;
  return {
    check: drillCheck(
      'pgbackrest-verify',
      verdict.ok,
      detail,
      [EVIDENCE.verify, EVIDENCE.info],
      [word],
    ),
    evidence: `$ pgbackrest --stanza=${config.stanza} ${args.join(' ')}\nexit code: ${result.code}\n\n${text}\n`,
  };
}
