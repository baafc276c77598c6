import { z } from 'zod';
import { canonicalJson } from '../agent/manifest';
import { SafeId } from './drill-result';
import { formatSeconds, formatUtc } from './i18n';

/**
 * The summary of an evidence export (one zip of a server's drill bundles over a period):
 * `summary.json` for machines and `SUMMARY.txt` for people, beside the bundle folders.
 * It is a table of contents, not evidence: each bundle carries its own signature, and
 * `kumiko report verify` checks that the summary and the bundles agree.
 */

export const EXPORT_FORMAT = 'kumiko-drill-report-export/1';
export const SUMMARY_JSON = 'summary.json';
export const SUMMARY_TEXT = 'SUMMARY.txt';

const Iso = z.string().datetime({ offset: true });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const ExportedReport = z
  .object({
    drillId: SafeId,
    sequence: z.number().int().min(1),
    startedAt: Iso,
    passed: z.boolean(),
    rtoSeconds: z.number().nonnegative().nullable(),
    rpoSeconds: z.number().nonnegative(),
    manifestSha256: Sha256Hex,
    countersigned: z.boolean(),
  })
  .strict();
export type ExportedReport = z.infer<typeof ExportedReport>;

export const ExportSummary = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    server: z.object({ id: SafeId, name: z.string() }).strict(),
    period: z.object({ from: Iso, to: Iso }).strict(),
    exportedAt: Iso,
    appVersion: z.string(),
    /** The report just before the period, which the first exported report chains to. */
    anchor: z.object({ drillId: SafeId, manifestSha256: Sha256Hex }).strict().nullable(),
    reports: z.array(ExportedReport),
  })
  .strict();
export type ExportSummary = z.infer<typeof ExportSummary>;

/** summary.json bytes (canonical JSON). */
export function exportSummaryJson(summary: ExportSummary): string {
  return canonicalJson(ExportSummary.parse(summary));
}

/** SUMMARY.txt: the period's drills as a table, then how to verify (English and German). */
export function exportSummaryText(summary: ExportSummary): string {
  const passed = summary.reports.filter((r) => r.passed).length;
  const rows = summary.reports.map((r) =>
    [
      `#${r.sequence}`.padEnd(6),
      formatUtc(r.startedAt).padEnd(24),
      (r.passed ? 'PASSED' : 'FAILED').padEnd(8),
      `RTO ${r.rtoSeconds === null ? '-' : formatSeconds(r.rtoSeconds)}`.padEnd(28),
      `RPO ${formatSeconds(r.rpoSeconds)}`.padEnd(28),
      r.drillId,
    ].join(' '),
  );
  const lines = [
    `Kumiko Recovery – drill reports / Wiederherstellungstests: ${summary.server.name} (${summary.server.id})`,
    `Period / Zeitraum: ${formatUtc(summary.period.from)} – ${formatUtc(summary.period.to)}`,
    `Exported / Exportiert: ${formatUtc(summary.exportedAt)} (app ${summary.appVersion})`,
    `Drills / Tests: ${summary.reports.length}, passed / bestanden: ${passed}, failed / nicht bestanden: ${summary.reports.length - passed}`,
    '',
    ...(rows.length ? rows : ['(no drills in this period / keine Tests in diesem Zeitraum)']),
    '',
    'Each folder is a signed bundle: run the command in its VERIFY.txt inside it.',
    'Jeder Ordner ist ein signiertes Bündel: den Befehl aus VERIFY.txt darin ausführen.',
    'Chain / Kette: in each folder but the first, `sha256sum -c chain/previous-manifest.sha256`.',
    summary.anchor
      ? `The first report follows ${summary.anchor.drillId} (MANIFEST.sha256 ${summary.anchor.manifestSha256}), before this period.`
      : 'The first report is the first of this server. / Der erste Bericht ist der erste dieses Servers.',
    'All at once / Alles auf einmal: kumiko report verify <this zip> --key <agent allowed_signers>',
  ];
  return `${lines.join('\n')}\n`;
}
