import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DrillReportEntry, ReportDetail, ReportPdf } from '../../../shared/contract';
import { BUNDLE_FILES } from '../../../shared/report/bundle-layout';
import { ReportJson } from '../../../shared/report/report-json';
import { AppError } from '../app-error';

/**
 * An archived report for people: what its signed report.json says (summary, checks, evidence
 * names). The archive only ever holds bundles that verified when they came in.
 */
export async function readReportDetail(entry: DrillReportEntry): Promise<ReportDetail> {
  let report: ReportJson;
  try {
    const text = await fs.readFile(path.join(entry.bundlePath, BUNDLE_FILES.reportJson), 'utf8');
    report = ReportJson.parse(JSON.parse(text));
  } catch {
    throw new AppError('NOT_FOUND', `The archived report ${entry.drillId} cannot be read.`);
  }
  return {
    entry,
    drill: report.drill,
    signerPrincipal: report.signer.principal,
    evidence: report.evidence,
  };
}

/** The archived report's PDF, base64, with its hash (the same bytes MANIFEST.sha256 lists). */
export async function readReportPdf(entry: DrillReportEntry): Promise<ReportPdf> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(entry.bundlePath, BUNDLE_FILES.reportPdf));
  } catch {
    throw new AppError('NOT_FOUND', `The archived report ${entry.drillId} has no PDF.`);
  }
  return {
    fileName: `kumiko-${entry.serverName.replace(/[^A-Za-z0-9._-]+/g, '-')}-${entry.drillId}.pdf`,
    base64: bytes.toString('base64'),
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}
