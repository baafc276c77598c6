import { failedChecksText } from '../../shared/catalog';
import type { Catalog, RecoveryPointDrill, Result } from '../../shared/contract';
import type { AppCore } from '../ipc/app-core';
import { flagString, type ParsedArgs } from './args';
import { EXIT, printResult, usageError } from './output';

const USAGE = 'usage: kumiko catalog --server <id> [--refresh] [--json]';

/** `2026-11-26T17:32:50.000Z` → `2026-11-26 17:32:50Z`: UTC, to the second. */
function utc(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function bytes(n: number | null): string {
  if (n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

function lag(seconds: number | null): string {
  if (seconds === null) return 'no WAL archived yet';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** What drills say about a recovery point, in a few words. */
function drillMark(drill: RecoveryPointDrill): string {
  const unverified = drill.verified ? '' : ', report not verified';
  if (drill.mark === 'proven') return `proven by drill ${drill.drillId}`;
  if (drill.mark === 'failed') return `DRILL FAILED (${drill.drillId}${unverified})`;
  return drill.unverifiedPasses > 0
    ? `never drilled (${drill.unverifiedPasses} passed drill report(s) not verified)`
    : 'never drilled';
}

/** The catalog as a readable summary: range, lag, coverage, gaps, backups, events. */
export function formatCatalog(c: Catalog): string {
  const out: string[] = [];
  const newest = c.segmentTimes.length
    ? new Date(c.segmentTimes.at(-1) as number).toISOString()
    : null;
  out.push(`Catalog of server ${c.serverId} (from the ${c.source}, built ${utc(c.builtAt)})`);
  out.push(
    `  restorable   ${c.firstRestorable ? `${utc(c.firstRestorable)} … ${utc(c.lastRestorable)}` : 'nothing yet'}`,
  );
  out.push(
    `  WAL          ${c.walSegments.toLocaleString('en-US')} segments, ${bytes(c.walBytes)}`,
  );
  out.push(`  newest WAL   ${utc(newest)} (capture lag ${lag(c.captureLagSeconds)})`);
  out.push('', `Coverage (${c.coverage.length}):`);
  const failed = new Set(c.backups.filter((b) => b.drill?.mark === 'failed').map((b) => b.label));
  for (const r of c.coverage) {
    const doubt = failed.has(r.baseBackup) ? '  (its base backup FAILED its last drill)' : '';
    out.push(
      `  TL${r.timeline}  ${utc(r.from)} … ${utc(r.to)}  from ${r.baseBackup}, ${r.segments} segments (${r.firstSegment} … ${r.lastSegment})${doubt}`,
    );
  }
  out.push('', `Gaps (${c.gaps.length}):`);
  for (const g of c.gaps) {
    out.push(`  TL${g.timeline}  ${utc(g.from)} … ${g.to ? utc(g.to) : 'now'}  ${g.cause}`);
  }
  out.push('', `Backups (${c.backups.length}):`);
  for (const b of c.backups) {
    // "signature valid" says who wrote the manifest, not that the backup restores: the drill
    // mark beside it says that.
    const manifest = b.manifest ? `manifest signature ${b.manifest.signature}` : 'no manifest';
    const drill = b.drill ? `, ${drillMark(b.drill)}` : '';
    out.push(
      `  ${b.label.padEnd(33)} ${b.type.padEnd(4)}  stop ${utc(b.timeStop)}  ${(b.tier ?? '-').padEnd(7)}  ${bytes(b.sizeBytes).padStart(8)}  ${manifest}${drill}`,
    );
    if (b.drill?.mark === 'failed') out.push(`      ${failedChecksText(b.drill)}`);
  }
  if (c.events.length) {
    out.push('', `Events (${c.events.length}):`);
    for (const e of c.events) {
      const state = e.ok === null ? '' : e.ok ? ' ✓' : ' ✗';
      out.push(`  ${utc(e.at)}  ${e.kind}  ${e.title}${state}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** `kumiko catalog --server ID [--refresh] [--json]`: the catalog, read from the bucket. */
export async function catalogCommand(
  core: AppCore,
  args: ParsedArgs,
  json: boolean,
): Promise<number> {
  const serverId = flagString(args, 'server');
  if (!serverId) throw usageError('--server <id> is required.', USAGE);
  const result = (await core.dispatch('catalog.get', {
    serverId,
    ...(args.flags.has('refresh') ? { refresh: true } : {}),
  })) as Result<Catalog>;
  if (json || !result.ok) return printResult(result, json);
  process.stdout.write(formatCatalog(result.value));
  return EXIT.ok;
}
