import path from 'node:path';
import { nodeVerifyCrypto } from '../../../node/report/node-crypto';
import { ExportSummary, SUMMARY_JSON, SUMMARY_TEXT } from '../../../shared/report/export-summary';
import {
  verificationStatus,
  verifyBundles,
  type BundleProblem,
  type BundlesVerification,
  type VerifyTrust,
} from '../../../shared/report/verify';
import { collectBundles, readTree } from './bundle-reader';

/** What `kumiko report verify` and `reports.verify` answer for a folder or zip. */
export interface ReportPathVerification extends BundlesVerification {
  path: string;
  /** Problems outside the bundles: strays, unreadable entries, a summary that disagrees. */
  problems: BundleProblem[];
  /**
   * 'pinned' when every bundle's signer is a key the caller trusts; 'bundle' when some signer
   * is known only from the bundles themselves (or not at all).
   */
  trust: 'pinned' | 'bundle';
}

/**
 * Verifies everything at `target`: one bundle folder, a folder of bundle folders (the archive,
 * an unpacked export), or a zip of either. Every bundle's signatures and hashes, each server's
 * chain in sequence order, and, for an export, that summary.json lists exactly the bundles.
 */
export async function verifyReportPath(
  target: string,
  trust: VerifyTrust,
  options: { requireFirstReport?: boolean } = {},
): Promise<ReportPathVerification> {
  const resolved = path.resolve(target);
  const problems: BundleProblem[] = [];
  let collection;
  try {
    collection = collectBundles(await readTree(resolved), resolved);
  } catch (error) {
    problems.push({ code: 'read-error', message: (error as Error).message });
    return {
      path: resolved,
      ok: false,
      status: 'invalid',
      bundles: [],
      chains: [],
      problems,
      trust: 'bundle',
    };
  }
  const result = verifyBundles(collection.bundles, trust, nodeVerifyCrypto, options);
  for (const p of collection.problems) {
    problems.push({ code: 'read-error', file: p.name, message: `${p.name}: ${p.message}` });
  }
  if (collection.bundles.length === 0) {
    problems.push({
      code: 'manifest-missing',
      message: 'no report bundle (no MANIFEST.sha256) found',
    });
  }
  let summary: { name: string; bytes: Uint8Array } | null = null;
  for (const [name, bytes] of collection.loose) {
    const base = name.split('/').pop();
    if (base === SUMMARY_JSON && !summary) summary = { name, bytes };
    else if (base !== SUMMARY_TEXT) {
      problems.push({ code: 'unlisted-file', file: name, message: `${name} belongs to no bundle` });
    }
  }
  if (summary) checkSummary(summary, result, problems);
  return {
    ...result,
    ok: result.ok && problems.length === 0,
    status: verificationStatus(result.bundles, result.chains, problems),
    path: resolved,
    problems,
    trust: trustOf(result),
  };
}

/** 'pinned' only when every bundle's signer is a key the caller trusts. */
function trustOf(result: BundlesVerification): 'pinned' | 'bundle' {
  const pinned = result.bundles.every((b) => b.signerTrusted);
  return pinned && result.bundles.length > 0 ? 'pinned' : 'bundle';
}

/** An export's summary must list exactly the bundles present, with their manifest hashes. */
function checkSummary(
  summary: { name: string; bytes: Uint8Array },
  result: BundlesVerification,
  problems: BundleProblem[],
): void {
  let parsed: ExportSummary;
  try {
    parsed = ExportSummary.parse(JSON.parse(Buffer.from(summary.bytes).toString('utf8')));
  } catch (error) {
    problems.push({
      code: 'report-invalid',
      file: summary.name,
      message: `${summary.name} is not a valid export summary: ${(error as Error).message.slice(0, 200)}`,
    });
    return;
  }
  const present = new Map(result.bundles.map((b) => [b.drillId, b.manifestSha256]));
  for (const report of parsed.reports) {
    if (!present.has(report.drillId)) {
      problems.push({
        code: 'missing-file',
        file: summary.name,
        message: `the summary lists report ${report.drillId} (#${report.sequence}), which is missing`,
      });
    } else if (present.get(report.drillId) !== report.manifestSha256) {
      problems.push({
        code: 'hash-mismatch',
        file: summary.name,
        message: `report ${report.drillId} differs from the one the summary lists`,
      });
    }
  }
  const listed = new Set(parsed.reports.map((r) => r.drillId));
  for (const bundle of result.bundles) {
    if (bundle.drillId && !listed.has(bundle.drillId)) {
      problems.push({
        code: 'unlisted-file',
        file: summary.name,
        message: `report ${bundle.drillId} is not in the summary`,
      });
    }
  }
  const first = result.chains.find((c) => c.serverId === parsed.server.id);
  if (first && first.anchor?.manifestSha256 !== parsed.anchor?.manifestSha256) {
    problems.push({
      code: 'report-invalid',
      file: summary.name,
      message: "the first report does not chain to the summary's anchor",
    });
  }
}
