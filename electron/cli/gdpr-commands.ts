import fs from 'node:fs';
import type {
  GdprEraseResult,
  GdprErasuresResult,
  GdprExportResult,
  GdprMapResult,
  Result,
} from '../../shared/contract';
import type { MapEdits } from '../../shared/gdpr/subject-map-schema';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { GDPR_REQUESTS_USAGE, gdprRequestsCommand } from './gdpr-requests-commands';
import { EXIT, printResult, usageError } from './output';

export const GDPR_USAGE = `usage: kumiko gdpr map|export|erase --server ID --database DB [options] [--json]
  map    [--root table.column | schema.table.column] [--exclude LINK,…] [--include LINK,…]
         [--add-link "schema.child(col,…)=schema.parent(col,…)"] [--edits-file F.json] [--save]
         the subject map from the live schema: tables, links (followed or not, and why), personal
         and file columns, and what changed since the saved version; --save stores a new version
  export --subject VALUE [--out DIR]
         every mapped row of the subject (one consistent read) as JSON and CSV per table, with a
         summary in German and English, in a zip whose MANIFEST.sha256 is signed (sha256sum -c,
         ssh-keygen -Y verify -n kumiko-report)
  erase  --subject VALUE (--dry-run | --yes)
         --dry-run: the rows that would be deleted, the references that block, changes nothing;
         --yes: a signed ledger entry (no restore brings the subject back), then the delete in one
         transaction; shows when the erasure is final in every backup
  erasures (--server ID only)
         the server's erasures from the ledger in its bucket: the day each is final in every
         backup at the latest, or "final" once the agent's retention run found no older point
${GDPR_REQUESTS_USAGE.replace('usage: ', '')}`;

/** `schema.table(a,b)` → its parts. */
function linkEnd(text: string): { schema: string; table: string; columns: string[] } {
  const m = /^([^.()]+)\.([^.()]+)\(([^()]+)\)$/.exec(text.trim());
  if (!m) throw usageError(`A link end is schema.table(column,…), not "${text}".`, GDPR_USAGE);
  return { schema: m[1]!, table: m[2]!, columns: m[3]!.split(',').map((c) => c.trim()) };
}

const list = (args: ParsedArgs, name: string) =>
  (flagString(args, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The edits given on the command line, or undefined to keep the saved ones. */
function editsFrom(args: ParsedArgs): MapEdits | undefined {
  const file = flagString(args, 'edits-file');
  if (file) return JSON.parse(fs.readFileSync(file, 'utf8')) as MapEdits;
  const added = flagString(args, 'add-link');
  if (!args.flags.has('exclude') && !args.flags.has('include') && !added) return undefined;
  const edits: MapEdits = { excluded: list(args, 'exclude'), included: list(args, 'include') };
  if (added) {
    const [child, parent] = added.split('=');
    if (!child || !parent) throw usageError('--add-link is child=parent.', GDPR_USAGE);
    const c = linkEnd(child);
    const p = linkEnd(parent);
    edits.added = [
      {
        childSchema: c.schema,
        childTable: c.table,
        childColumns: c.columns,
        parentSchema: p.schema,
        parentTable: p.table,
        parentColumns: p.columns,
      },
    ];
  }
  return edits;
}

function mapText({ map, version, drift }: GdprMapResult): string {
  const lines = [
    `Subject map of ${map.database}: root ${map.root.schema}.${map.root.table}.${map.root.column}` +
      (version === null ? ' (not saved)' : ` (saved version ${version})`),
    'Tables:',
    ...map.tables.map(
      (t) =>
        `  ${t.schema}.${t.table}: ${t.action}` +
        (t.personalColumns.length ? `; personal: ${t.personalColumns.join(', ')}` : '') +
        (t.fileColumns.length ? `; files: ${t.fileColumns.join(', ')}` : ''),
    ),
    'Links:',
    ...map.links.map(
      (l) =>
        `  ${l.followed ? '+' : '-'} ${l.id}: ${l.childSchema}.${l.childTable}(${l.childColumns.join(',')}) -> ` +
        `${l.parentSchema}.${l.parentTable}(${l.parentColumns.join(',')})${l.why ? ` [${l.why}]` : ''}`,
    ),
  ];
  if (drift.length)
    lines.push('The schema changed since the saved version:', ...drift.map((d) => `  ${d}`));
  return `${lines.join('\n')}\n`;
}

function exportText(r: GdprExportResult): string {
  return [
    `Export written: ${r.path}`,
    `  SHA-256 ${r.sha256}, ${r.bytes} bytes`,
    ...r.tables.map((t) => `  ${t.table}: ${t.rows} rows`),
    `  Not included: copies in backups, which expire by ${r.backupsExpire ?? '-'}.`,
    '',
  ].join('\n');
}

function eraseText(r: GdprEraseResult): string {
  const head = r.dryRun
    ? 'Dry run (nothing changed): the erasure would delete'
    : `Erased (${r.erasureId}, ${r.erasedAt}):`;
  const lines = [head, ...r.tables.map((t) => `  ${t.table}: ${t.rows} rows`)];
  for (const ref of r.references)
    lines.push(`  reference ${ref.id}: ${ref.rows} rows outside the subject (${ref.effect})`);
  const said = {
    'would-remove': 'would be removed',
    removed: 'removed',
    outside: 'outside the attached-file folders: not touched',
    missing: 'already gone',
    failed: 'could not be removed: remove it by hand',
  } as const;
  for (const f of r.files) lines.push(`  file ${f.path}: ${said[f.state]}`);
  if (r.refusals.length) lines.push('It cannot run:', ...r.refusals.map((x) => `  ${x}`));
  lines.push(
    `Final in every backup by ${r.hardDeleteDue} (when no retained recovery point predates it).`,
  );
  return `${lines.join('\n')}\n`;
}

function erasuresText(r: GdprErasuresResult): string {
  const lines = r.erasures.map(
    (e) =>
      `${e.erasureId} (${e.erasedAt}, ${e.database}: ${e.tables.join(', ')}): ` +
      (e.final
        ? `final since ${e.final.at} (no retained recovery point predates it)`
        : `final by ${e.hardDeleteDue} at the latest`),
  );
  if (lines.length === 0) lines.push('No erasures in the ledger.');
  for (const bad of r.refused)
    lines.push(`Refused ledger object ${bad.key}: ${bad.why} (never replayed).`);
  return `${lines.join('\n')}\n`;
}

/** `kumiko gdpr map|export|erase|erasures`. */
export async function gdprCommand(core: AppCore, args: ParsedArgs, json: boolean): Promise<number> {
  const [, verb] = args.positionals;
  if (verb === 'requests') return gdprRequestsCommand(core, args, json);
  const serverId = flagString(args, 'server');
  const database = flagString(args, 'database');
  if (verb === 'erasures') {
    if (!serverId) throw usageError('Name the server: --server ID.', GDPR_USAGE);
    const listed = await core.dispatch('gdpr.erasures', { serverId });
    if (json || !listed.ok) return printResult(listed, json);
    process.stdout.write(erasuresText(listed.value as GdprErasuresResult));
    return EXIT.ok;
  }
  if (!serverId || !database || !['map', 'export', 'erase'].includes(verb ?? '')) {
    throw usageError('Name the verb, --server and --database.', GDPR_USAGE);
  }
  const subject = flagString(args, 'subject');
  let result: Result<unknown>;
  let text: (value: never) => string;
  if (verb === 'map') {
    const root = flagString(args, 'root');
    const edits = editsFrom(args);
    result = await core.dispatch('gdpr.map', {
      serverId,
      database,
      ...(root ? { root } : {}),
      ...(edits ? { edits } : {}),
      ...(args.flags.has('save') ? { save: true } : {}),
    });
    text = mapText;
  } else {
    if (!subject)
      throw usageError('Name the subject: --subject VALUE (the root key value).', GDPR_USAGE);
    if (verb === 'export') {
      const out = flagString(args, 'out');
      result = await core.dispatch('gdpr.export', {
        serverId,
        database,
        subject,
        ...(out ? { outputDirectory: out } : {}),
      });
      text = exportText;
    } else {
      const dryRun = args.flags.has('dry-run');
      if (!dryRun && !args.flags.has('yes')) {
        throw usageError(
          'An erasure cannot be undone: run it with --dry-run first, then with --yes.',
          GDPR_USAGE,
        );
      }
      result = await core.dispatch('gdpr.erase', { serverId, database, subject, dryRun });
      text = eraseText;
    }
  }
  if (json || !result.ok) return printResult(result, json);
  process.stdout.write(text(result.value as never));
  return EXIT.ok;
}
