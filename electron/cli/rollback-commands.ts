import type { Result } from '../../shared/contract';
import type {
  FieldDiff,
  RecordVersion,
  Refusal,
  RollbackPreview,
  RollbackTarget,
} from '../../shared/audit/rollback-plan';
import type {
  AuditJobResult,
  RecordHistory,
  RollbackOutcome,
} from '../../shared/contract/rollback';
import type { RecordMatches } from '../../shared/audit/rollback-spec';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT } from './exit-codes';
import { printResult, usageError } from './output';
import { subjectRestoreCommand } from './subject-restore-command';

const USAGE = `usage: kumiko rollback history|preview|apply --server <id> --db <database>
         --table [schema.]table --key column=value[,column=value] [--json]
       kumiko rollback find --server <id> --db <database> --table [schema.]table
         --column column=value [--json]
  find:    the records holding that value now, and those that held it in an earlier version
  history: the record's versions from the audit trail (who, when, which fields)
  preview: what a rollback would do (--at "<ISO time>" | --version <id>): the exact statement
           and the fields that change; changes nothing
  apply:   the same, then applied in one transaction with --reason "<why>" --yes, or refused
           with the reason (changed since the preview, a foreign or unique key, changed columns)
       kumiko rollback subject …: one subject's rows as of a moment (kumiko rollback subject
         for its options; a point-in-time restore runs first: minutes)
       kumiko audit install|remove --server <id> --db <database> [--schemas a,b]
         [--tables schema.table,…] [--drop-history] [--yes] [--json]
  without --yes: what it would change (tables attached, detached, not coverable and why)`;

/** `schema.table` (first dot) or a table in public. */
function tableOf(text: string): { schema: string; table: string } {
  const dot = text.indexOf('.');
  return dot > 0
    ? { schema: text.slice(0, dot), table: text.slice(dot + 1) }
    : { schema: 'public', table: text };
}

/** `a=1,b=x` → each value as a JSON string; the agent reads it through the column's type. */
function keyOf(text: string): Record<string, string> {
  const key: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw usageError(`--key: "${part}" is not column=value`, USAGE);
    key[part.slice(0, eq).trim()] = JSON.stringify(part.slice(eq + 1));
  }
  return key;
}

function targetOf(args: ParsedArgs): RollbackTarget {
  const at = flagString(args, 'at');
  const version = flagString(args, 'version');
  if (at && !version) {
    const when = new Date(at);
    if (Number.isNaN(when.getTime())) throw usageError('--at must be an ISO time', USAGE);
    return { at: when.toISOString() };
  }
  if (version && !at) return { afterVersion: version };
  throw usageError('give --at "<ISO time>" or --version <id>', USAGE);
}

/** A JSON text as a person reads it: strings without quotes, NULL spelt out. */
function shown(value: string | null): string {
  if (value === null) return '(none)';
  if (value === 'null') return 'NULL';
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
}

function diffLines(diff: readonly FieldDiff[]): string[] {
  return diff.map((d) => `    ${d.column}: ${shown(d.current)} → ${shown(d.target)}`);
}

const OPS = { I: 'inserted', U: 'updated', D: 'deleted' } as const;

function versionLine(v: RecordVersion): string {
  const who = [v.dbUser, v.applicationName, v.actor ? `for ${v.actor}` : null].filter(Boolean);
  const fields =
    v.op === 'U'
      ? (v.changedColumns ?? []).map(
          (c) => `${c}: ${shown(v.old?.[c] ?? null)} → ${shown(v.new?.[c] ?? null)}`,
        )
      : [];
  return [
    `  #${v.id}  ${v.at}  ${OPS[v.op]} by ${who.join(', ')}${v.reason ? ` (${v.reason})` : ''}`,
    ...fields.map((f) => `      ${f}`),
  ].join('\n');
}

const REFUSALS: Record<Refusal['code'], (r: Refusal) => string> = {
  'no-history': () =>
    'The audit trail holds no change of this record: there is nothing to go back to.',
  'no-primary-key': () =>
    'The table has no primary key, so the audit trail cannot cover it. Use a point-in-time restore into a scratch environment.',
  'table-missing': () => 'The table does not exist. Check the name.',
  'version-unknown': () =>
    "That version is not in this record's history. Run kumiko rollback history for its versions.",
  'columns-changed': (r) =>
    r.code === 'columns-changed'
      ? `The table's columns changed since that version (added: ${r.added.join(', ') || 'none'}; removed: ${r.removed.join(', ') || 'none'}). Nothing was changed; restore that moment into a scratch environment instead.`
      : '',
  'changed-after-preview': () =>
    'The record changed after the preview. Nothing was changed; preview again.',
  truncated: (r) =>
    r.code === 'truncated'
      ? `The table was emptied with TRUNCATE at ${r.at}, after that moment: the audit trail cannot say the record's state then. Nothing was changed; restore that moment into a scratch environment instead.`
      : '',
  'history-gap': (r) =>
    r.code === 'history-gap'
      ? `The audit trail did not record changes for a while until ${r.at} (the server was restored, or the trail's slot was lost), after that moment: its history cannot say the record's state then. Nothing was changed; restore that moment into a scratch environment instead.`
      : '',
  'column-types-changed': (r) =>
    r.code === 'column-types-changed'
      ? `Column types changed since that version (${r.columns.map((c) => `${c.column}: ${c.then} → ${c.now}`).join('; ')}). Nothing was changed; restore that moment into a scratch environment instead.`
      : '',
  'foreign-key': (r) => constraintText(r, 'a foreign key'),
  unique: (r) => constraintText(r, 'a unique key'),
  constraint: (r) => constraintText(r, 'a constraint'),
  'other-rows-changed': (r) =>
    r.code === 'other-rows-changed'
      ? `The rollback would also change rows of ${r.tables.join(', ')} (a cascading foreign key or a trigger). Nothing was changed.`
      : '',
  'not-exact': () =>
    'The record would not end exactly as it was (a trigger changes it). Nothing was changed.',
};

function constraintText(r: Refusal, what: string): string {
  const name = 'constraint' in r ? `${r.constraint} on ${r.table}` : '';
  return `The rollback would break ${what} (${name}). Nothing was changed; fix the related rows first, then preview again.`;
}

function previewText(p: RollbackPreview): string {
  if (p.refusal) return `Refused: ${REFUSALS[p.refusal.code](p.refusal)}`;
  if (p.action === 'none') return 'The record is already as it was then: nothing to do.';
  return [
    `Would ${p.action} ${p.schema}.${p.table} ${JSON.stringify(p.key)}:`,
    ...diffLines(p.diff),
    'Statement:',
    ...p.statements.map((s) => `  ${s}`),
  ].join('\n');
}

function auditText(r: AuditJobResult): string {
  const lines = [`${r.dryRun ? 'Would' : 'Did'}: trail ${r.trail} in ${r.db}`];
  for (const t of r.tables) {
    if (t.action === 'not-selected') continue;
    lines.push(
      `  ${t.action.padEnd(10)} ${t.schema}.${t.table}${t.reason ? ` (${t.reason})` : ''}`,
    );
  }
  if (r.dryRun) lines.push('Nothing changed. Add --yes to do it.');
  return lines.join('\n');
}

function print<T>(result: Result<unknown>, json: boolean, text: (v: T) => string): number {
  if (json || !result.ok) return printResult(result, json);
  process.stdout.write(`${text(result.value as T)}\n`);
  return EXIT.ok;
}

/** `kumiko audit install|remove`. */
export async function auditCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, verb] = args.positionals;
  const serverId = flagString(args, 'server');
  const db = flagString(args, 'db');
  if ((verb !== 'install' && verb !== 'remove') || !serverId || !db)
    throw usageError('missing arguments', USAGE);
  const dryRun = !args.flags.has('yes');
  const list = (name: string) =>
    flagString(args, name)
      ?.split(',')
      .map((s) => s.trim());
  const result =
    verb === 'install'
      ? await core.dispatch('audit.install', {
          serverId,
          db,
          dryRun,
          ...(list('schemas') ? { schemas: list('schemas') } : {}),
          ...(list('tables') ? { tables: list('tables') } : {}),
        })
      : await core.dispatch('audit.remove', {
          serverId,
          db,
          dryRun,
          dropHistory: args.flags.has('drop-history'),
        });
  return print<AuditJobResult>(result, json, auditText);
}

/** `kumiko rollback history|preview|apply`. */
export async function rollbackCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const [, verb] = args.positionals;
  const serverId = flagString(args, 'server');
  const db = flagString(args, 'db');
  const table = flagString(args, 'table');
  const key = flagString(args, 'key');
  if (verb === 'find') return findCommand(core, args, json);
  if (verb === 'subject') return subjectRestoreCommand(core, args, json);
  if (!['history', 'preview', 'apply'].includes(verb ?? '') || !serverId || !db || !table || !key) {
    throw usageError('missing arguments', USAGE);
  }
  const record = { serverId, db, ...tableOf(table), key: keyOf(key) };
  if (verb === 'history') {
    const result = await core.dispatch('rollback.history', record);
    return print<RecordHistory>(result, json, (h) =>
      h.versions.length === 0
        ? 'No changes of this record in the audit trail.'
        : [`${h.versions.length} versions, oldest first:`, ...h.versions.map(versionLine)].join(
            '\n',
          ),
    );
  }
  const preview = await core.dispatch('rollback.preview', { ...record, target: targetOf(args) });
  if (verb === 'preview' || !preview.ok) return print<RollbackPreview>(preview, json, previewText);
  const reason = flagString(args, 'reason');
  if (!reason) throw usageError('apply needs --reason "<why>" (kept in the audit trail)', USAGE);
  const value = preview.value as RollbackPreview;
  if (!args.flags.has('yes')) {
    if (!json)
      process.stdout.write(`${previewText(value)}\nNothing changed. Add --yes to apply.\n`);
    return json ? printResult(preview, true) : EXIT.ok;
  }
  const applied = await core.dispatch('rollback.apply', { ...record, preview: value, reason });
  if (!applied.ok) return printResult(applied, json);
  const outcome = applied.value as RollbackOutcome;
  if (json) printResult(applied, true);
  else if (outcome.applied) {
    process.stdout.write(
      `${previewText(value)}\nApplied (audit trail #${outcome.historyIds.join(', #')}).\n`,
    );
  } else process.stderr.write(`Refused: ${REFUSALS[outcome.refusal.code](outcome.refusal)}\n`);
  return outcome.applied ? EXIT.ok : EXIT.refused;
}

/** `kumiko rollback find`: records by a column's value, each by its key. */
async function findCommand(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const serverId = flagString(args, 'server');
  const db = flagString(args, 'db');
  const table = flagString(args, 'table');
  const column = flagString(args, 'column');
  const eq = column?.indexOf('=') ?? -1;
  if (!serverId || !db || !table || !column || eq <= 0) {
    throw usageError('find needs --server, --db, --table and --column column=value', USAGE);
  }
  const result = await core.dispatch('rollback.find', {
    serverId,
    db,
    ...tableOf(table),
    column: column.slice(0, eq).trim(),
    value: JSON.stringify(column.slice(eq + 1)),
  });
  const keyText = (k: Record<string, string>) =>
    Object.entries(k)
      .map(([c, v]) => `${c}=${shown(v)}`)
      .join(',');
  return print<RecordMatches>(result, json, (m) =>
    [
      m.now.length ? `Holding it now (--key):` : 'No record holds it now.',
      ...m.now.map((k) => `  ${keyText(k)}`),
      ...(m.before.length
        ? ['Held it in an earlier version:', ...m.before.map((k) => `  ${keyText(k)}`)]
        : []),
    ].join('\n'),
  );
}
