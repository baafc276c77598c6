import {
  exportSummaryJson,
  exportSummaryText,
  SUMMARY_JSON,
  SUMMARY_TEXT,
  type ExportSummary,
} from '../../../shared/report/export-summary';
import { readTree } from './bundle-reader';
import { zipArchive, type ZipEntry } from './zip-writer';

/**
 * The evidence export: `<root>/SUMMARY.txt`, `<root>/summary.json` and one folder per bundle,
 * named by drill id, so each bundle's chain link (`../<previous>/MANIFEST.sha256`) resolves
 * inside the unpacked zip.
 */
export async function exportZip(
  root: string,
  bundles: readonly { drillId: string; directory: string }[],
  summary: ExportSummary,
): Promise<Buffer> {
  const entries: ZipEntry[] = [
    { name: `${root}/${SUMMARY_TEXT}`, data: Buffer.from(exportSummaryText(summary)) },
    { name: `${root}/${SUMMARY_JSON}`, data: Buffer.from(exportSummaryJson(summary)) },
  ];
  for (const bundle of bundles) {
    const tree = await readTree(bundle.directory);
    if (tree.problems.length) {
      throw new Error(
        `${bundle.directory}: ${tree.problems.map((p) => `${p.name}: ${p.message}`).join('; ')}`,
      );
    }
    for (const [name, data] of [...tree.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      entries.push({ name: `${root}/${bundle.drillId}/${name}`, data });
    }
  }
  return zipArchive(entries, new Date(summary.exportedAt));
}
