import crypto from 'node:crypto';
import { bucketLayout, SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import type { DrillReportInput, ManifestSignatureState } from '../../../shared/catalog';
import { BUNDLE_FILES } from '../../../shared/report/bundle-layout';
import { SafeId } from '../../../shared/report/drill-result';
import { parseManifest } from '../../../shared/report/manifest';
import { ReportJson } from '../../../shared/report/report-json';
import { verifySshsig } from '../../../node/signing';
import { ringId, verifyWithRing, type AgentKeyRing } from './agent-key-ring';
import type { BucketObject, BucketReader } from './bucket-lister';

/** A drill report as read and checked, kept in the cache so it is fetched only once. */
export interface CachedDrillReport {
  drillId: string;
  /** ETags of report.json, MANIFEST.sha256 and its signature when read ('' for one absent). */
  etags: string;
  /** The agent keys it was checked against (ringId: public; null: none pinned). */
  verifiedWith: string | null;
  /** Null when report.json is not a valid drill report of this server and drill. */
  report: DrillReportInput | null;
}

/** Bundles read per update at most (three small GETs each); the rest follow on the next. */
const MAX_READS = 100;
const CONCURRENCY = 4;

/**
 * What one bundle's report.json says, and whether it can be trusted: `valid` only when
 * MANIFEST.sha256.sig is an SSHSIG (namespace kumiko-report) over MANIFEST.sha256 by the
 * pinned agent key and that manifest lists report.json with the SHA-256 of exactly these bytes.
 * The evidence files are not read: the marks rest on report.json alone, which the signed
 * manifest covers (a full bundle check is the report archive's job, electron/services/reports).
 */
export function checkDrillReport(
  serverId: string,
  drillId: string,
  files: { report: Buffer; manifest: Buffer | null; signature: Buffer | null },
  keys: AgentKeyRing,
): DrillReportInput | null {
  let report: ReportJson;
  try {
    const parsed = ReportJson.safeParse(JSON.parse(files.report.toString('utf8')));
    if (!parsed.success) return null;
    report = parsed.data;
  } catch {
    return null;
  }
  const drill = report.drill;
  if (drill.server.id !== serverId || drill.drillId !== drillId) return null;
  let signature: ManifestSignatureState;
  const { manifest, signature: sig } = files;
  if (!manifest || !sig) signature = 'missing';
  else {
    const sha256 = crypto.createHash('sha256').update(files.report).digest('hex');
    const listed = parseManifest(manifest.toString('utf8')).entries.find(
      (e) => e.path === BUNDLE_FILES.reportJson,
    );
    signature = verifyWithRing(
      keys,
      (key) =>
        listed?.sha256 === sha256 &&
        verifySshsig(sig.toString('utf8'), manifest, SIGNATURE_NAMESPACES.report, key),
      () => drill.finishedAt,
    );
  }
  return {
    drillId,
    startedAt: new Date(drill.startedAt).toISOString(),
    finishedAt: new Date(drill.finishedAt).toISOString(),
    passed: drill.passed,
    backupLabel: drill.restored.backupLabel,
    failedChecks: drill.checks
      .filter((c) => !c.passed)
      .map((c) => ({ id: c.id, detail: c.detail })),
    signature,
  };
}

interface Wanted {
  drillId: string;
  report: BucketObject;
  manifest: BucketObject | undefined;
  signature: BucketObject | undefined;
}

/**
 * The drill reports under `drills/`: for each bundle with a report.json, that report and its
 * signature state, reading only bundles that are new or changed (a bundle still uploading gets
 * its signature last, so it is read again once that arrives), or checked against another
 * pinned key than now.
 */
export async function syncDrillReports(
  lister: BucketReader,
  serverId: string,
  keys: AgentKeyRing,
  cached: Readonly<Record<string, CachedDrillReport>>,
): Promise<Record<string, CachedDrillReport>> {
  const prefix = bucketLayout.drillsPrefix(serverId);
  const bundles = new Map<string, Map<string, BucketObject>>();
  for (const o of await lister.list(prefix)) {
    const rest = o.key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) continue;
    const drillId = rest.slice(0, slash);
    if (!SafeId.safeParse(drillId).success) continue;
    const files = bundles.get(drillId) ?? new Map<string, BucketObject>();
    files.set(rest.slice(slash + 1), o);
    bundles.set(drillId, files);
  }
  const out: Record<string, CachedDrillReport> = {};
  const toRead: (Wanted & { etags: string })[] = [];
  for (const [drillId, files] of bundles) {
    const report = files.get(BUNDLE_FILES.reportJson);
    if (!report) continue;
    const manifest = files.get(BUNDLE_FILES.manifest);
    const signature = files.get(BUNDLE_FILES.signature);
    const etags = [report.etag, manifest?.etag ?? '', signature?.etag ?? ''].join(' ');
    const c = cached[drillId];
    if (c && c.etags === etags && c.verifiedWith === ringId(keys)) out[drillId] = c;
    else if (toRead.length < MAX_READS)
      toRead.push({ drillId, report, manifest, signature, etags });
  }
  for (let i = 0; i < toRead.length; i += CONCURRENCY) {
    await Promise.all(
      toRead.slice(i, i + CONCURRENCY).map(async (w) => {
        const [report, manifest, signature] = await Promise.all([
          lister.get(w.report.key),
          w.manifest ? lister.get(w.manifest.key) : Promise.resolve(null),
          w.signature ? lister.get(w.signature.key) : Promise.resolve(null),
        ]);
        if (!report) return; // removed since the listing
        out[w.drillId] = {
          drillId: w.drillId,
          // What was read: a file gone since the listing is read again once it is back.
          etags: [
            w.report.etag,
            manifest ? w.manifest?.etag : '',
            signature ? w.signature?.etag : '',
          ].join(' '),
          verifiedWith: ringId(keys),
          report: checkDrillReport(serverId, w.drillId, { report, manifest, signature }, keys),
        };
      }),
    );
  }
  return out;
}
