import { BUNDLE_FILES, EVIDENCE_DIR } from '../../shared/report/bundle-layout';
import { keyFingerprint } from '../../shared/report/keys';
import { reportPdfModel } from '../../shared/report/pdf-model';
import { ReportJson } from '../../shared/report/report-json';
import { sha256 } from './node-crypto';

/**
 * A reading copy of a signed report's PDF in one language (issue 16 §1): made from the bundle's
 * signed report.json and evidence, for auditors who want German or English alone. The bundle's
 * own report.pdf stays the signed one (German and English); the copy says so on its first page
 * and names the MANIFEST hash whose signature covers every word it shows. The caller verifies
 * the bundle first: nothing unverified is ever worded.
 */
export async function readingCopyPdf(
  files: ReadonlyMap<string, Uint8Array>,
  manifestSha256: string,
  language: 'de' | 'en',
): Promise<Buffer> {
  const json = files.get(BUNDLE_FILES.reportJson);
  if (!json) throw new Error('the bundle has no report.json');
  const report = ReportJson.parse(JSON.parse(Buffer.from(json).toString('utf8')));
  const evidence = new Map(
    [...files]
      .filter(([name]) => name.startsWith(EVIDENCE_DIR))
      .map(([name, bytes]) => [name.slice(EVIDENCE_DIR.length), bytes]),
  );
  const model = reportPdfModel({ ...report, language }, evidence, {
    signerFingerprint: keyFingerprint(report.signer.publicKey, sha256),
    readingCopyOf: { manifestSha256 },
  });
  // Loaded here, as in write-bundle.ts: pdfkit takes a moment to initialise.
  const { renderReportPdf } = await import('./report-pdf');
  return renderReportPdf(model, new Date(report.drill.finishedAt));
}
