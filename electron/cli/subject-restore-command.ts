import type { FieldDiff } from '../../shared/audit/rollback-plan';
import type {
  SubjectRestoreOutcome,
  SubjectRestorePreview,
  SubjectRestoreRefusal,
} from '../../shared/contract/rollback';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT } from './exit-codes';
import { jobFailure, printResult, usageError } from './output';
import { waitForJob } from './servers-commands';

export const SUBJECT_USAGE = `usage: kumiko rollback subject --server <id> --db <database> --value <value>
         --at "<YYYY-MM-DDTHH:MM:SS±HH:MM>" [--root schema.table.column] [--keep-scratch]
         [--reason "<why>" --confirm] [--json]
  One subject's rows as they were at that second: a point-in-time restore into a scratch
  database (this takes minutes, not seconds), the subject read there and in production, and
  per table the rows to insert, update and delete for that subject only. Without --root the
  saved subject map is followed (kumiko gdpr map --save); with it, that table's record alone.
  With --confirm the preview is applied in one transaction (or refused, nothing changed).
  An erased subject is never restored.`;

/** A JSON text as a person reads it: strings without quotes, NULL spelt out. */
function shown(value: string | null): string {
  if (value === null) return '(none)';
  if (value === 'null') return 'NULL';
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
}

const diffLines = (diff: readonly FieldDiff[]) =>
  diff.map((d) => `      ${d.column}: ${shown(d.current)} → ${shown(d.target)}`);

/** Why a subject restore was refused, with the next step. */
export function subjectRefusalText(r: SubjectRestoreRefusal): string {
  switch (r.code) {
    case 'erased':
      return `This subject was erased (erasure ${r.erasureId} of ${r.erasedAt}); an erased subject is never restored.`;
    case 'no-primary-key':
      return `The table ${r.table} has no primary key, so its rows cannot be matched between then and now. Nothing was changed; restore that moment into a scratch environment and copy by hand.`;
    case 'columns-changed':
      return `The columns of ${r.table} changed since that moment (added: ${r.added.join(', ') || 'none'}; removed: ${r.removed.join(', ') || 'none'}). Nothing was changed; restore that moment into a scratch environment instead.`;
    case 'changed-after-preview':
      return "The subject's rows changed after the preview. Nothing was changed; preview again.";
    case 'preview-unknown':
      return 'This preview is not known (any more): it was applied, refused, or is older than an hour. Preview again.';
    default:
      return `The restore would break ${r.code === 'foreign-key' ? 'a foreign key' : r.code === 'unique' ? 'a unique key' : 'a constraint'} (${r.constraint} on ${r.table}). Nothing was changed; fix the related rows first, then preview again.`;
  }
}

function previewText(p: SubjectRestorePreview): string {
  if (p.refusal) return `Refused: ${subjectRefusalText(p.refusal)}`;
  const lines = [`${p.root} as of ${p.at}${p.map ? ' (subject map)' : ''}:`];
  for (const t of p.tables) {
    lines.push(
      `  ${t.table}: ${t.inserts} to insert, ${t.updates} to update, ${t.deletes} to delete, ${t.unchanged} unchanged`,
    );
    for (const c of t.changes) {
      const key = Object.entries(c.key)
        .map(([k, v]) => `${k}=${shown(v)}`)
        .join(',');
      lines.push(`    ${c.action} ${key}`, ...(c.action === 'update' ? diffLines(c.diff) : []));
    }
  }
  if (p.scratchId) lines.push(`The scratch environment ${p.scratchId} is kept for a look.`);
  return lines.join('\n');
}

/** `kumiko rollback subject`: preview (a job), then apply with --confirm. */
export async function subjectRestoreCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const serverId = flagString(args, 'server');
  const database = flagString(args, 'db');
  const value = flagString(args, 'value');
  const at = flagString(args, 'at');
  const root = flagString(args, 'root');
  if (!serverId || !database || !value || !at) throw usageError('missing arguments', SUBJECT_USAGE);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/.test(at)) {
    throw usageError(
      '--at must be a second with its offset, e.g. 2026-12-01T14:23:05+01:00',
      SUBJECT_USAGE,
    );
  }
  const confirm = args.flags.has('confirm');
  const reason = flagString(args, 'reason');
  if (confirm && !reason) {
    throw usageError('--confirm needs --reason "<why>" (kept in the audit trail)', SUBJECT_USAGE);
  }
  if (!json) process.stderr.write('A point-in-time restore runs first: this takes minutes.\n');
  const started = await core.dispatch('rollback.subject.start', {
    serverId,
    database,
    value,
    at,
    ...(root ? { root } : {}),
    keepScratch: args.flags.has('keep-scratch'),
  });
  if (!started.ok) return printResult(started, json);
  const job = await waitForJob(core, (started.value as { jobId: string }).jobId, json);
  if (job.state !== 'succeeded') return printResult(jobFailure(job), json);
  const preview = job.result as SubjectRestorePreview;
  if (!confirm || preview.refusal) {
    if (json) printResult({ ok: true, value: preview }, true);
    else {
      process.stdout.write(`${previewText(preview)}\n`);
      if (!preview.refusal)
        process.stdout.write('Nothing changed. Add --reason "<why>" --confirm to apply.\n');
    }
    return preview.refusal ? EXIT.refused : EXIT.ok;
  }
  const applied = await core.dispatch('rollback.subject.apply', {
    serverId,
    previewId: preview.previewId,
    reason,
  });
  if (!applied.ok) return printResult(applied, json);
  const outcome = applied.value as SubjectRestoreOutcome;
  if (json) printResult({ ok: true, value: { preview, outcome } }, true);
  else if (outcome.applied) {
    process.stdout.write(
      `${previewText(preview)}\nApplied: ${outcome.inserted} inserted, ${outcome.updated} updated, ${outcome.deleted} deleted.\n`,
    );
  } else process.stderr.write(`Refused: ${subjectRefusalText(outcome.refusal)}\n`);
  return outcome.applied ? EXIT.ok : EXIT.refused;
}
