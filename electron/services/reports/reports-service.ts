import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  DrillReportEntry,
  ReportsExportResult,
  ReportVerification,
} from '../../../shared/contract';
import { SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import { BUNDLE_FILES } from '../../../shared/report/bundle-layout';
import { countersignedEnvelope } from '../../../shared/report/bundle-plan';
import type { DrillResult } from '../../../shared/report/drill-result';
import { EXPORT_FORMAT, type ExportSummary } from '../../../shared/report/export-summary';
import { ReportJson } from '../../../shared/report/report-json';
import type { ReportLanguage } from '../../../shared/report/report-json';
import type { BundleVerification } from '../../../shared/report/verify';
import { readingCopyPdf } from '../../../node/report/reading-copy';
import { writeBundleFiles, writeReportBundle } from '../../../node/report/write-bundle';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { AppError } from '../app-error';
import type { SecretStore } from '../secrets/secret-store';
import type { ServersService } from '../servers/servers-service';
import { signSshsig } from '../../../node/signing';
import type { Db } from '../store/database';
import { appPublicKey, appSigningKey } from './app-signing-key';
import { collectBundles, readTree } from './bundle-reader';
import { exportZip } from './export-zip';
import { resolvePeriod } from './period';
import { ReportsRepo, type ArchivedReport } from './reports-repo';
import { pinnedTrust, type PinnedReportKeys } from './pinned-keys';
import { parseTrustedKeys } from './trusted-keys';
import { verifyReportPath } from './verify-path';

export interface ReportsServiceDeps {
  db: Db;
  dataDir: string;
  agent: Pick<AgentInstallService, 'installed'>;
  servers: Pick<ServersService, 'get'>;
  secrets: SecretStore;
  appVersion: string;
}

/**
 * The app's archive of drill report bundles (`<dataDir>/reports/<serverId>/<drillId>/`, indexed
 * in SQLite), the auditors' export, and verification. A bundle enters the archive only when it
 * verifies against the server's pinned agent key (or the app's key) and continues the server's
 * chain, so the archive itself stays an unbroken, checkable record.
 */
export class ReportsService {
  private readonly repo: ReportsRepo;

  constructor(private readonly deps: ReportsServiceDeps) {
    this.repo = new ReportsRepo(deps.db);
  }

  /** The archive folder. */
  get archiveDir(): string {
    return path.join(this.deps.dataDir, 'reports');
  }

  /** Where an export goes when no path is given. */
  get exportsDir(): string {
    return path.join(this.deps.dataDir, 'exports');
  }

  list(filter: { serverId?: string; from?: string; to?: string }): DrillReportEntry[] {
    const period =
      filter.from || filter.to
        ? resolvePeriod(filter.from ?? '1970-01-01', filter.to ?? '9999-12-31')
        : { from: undefined, to: undefined };
    return this.repo.list({ serverId: filter.serverId, ...period }).map((r) => this.absolute(r));
  }

  /**
   * Archives a bundle folder (an agent's report fetched from the bucket, or one written
   * elsewhere). @throws AppError CONFLICT when it does not verify or does not continue the chain.
   */
  async archive(bundleDir: string): Promise<DrillReportEntry> {
    const tree = await readTree(bundleDir);
    const [bundle, ...more] = collectBundles(tree, bundleDir).bundles;
    if (!bundle || more.length || !tree.files.has(BUNDLE_FILES.manifest)) {
      throw new AppError('INVALID_INPUT', `${bundleDir} is not one report bundle.`);
    }
    const verified = await this.verifyArchived(bundleDir);
    const report = this.readReport(bundle.files);
    this.checkContinues(report, verified);
    const relative = path.join(report.drill.server.id, report.drill.drillId);
    await writeBundleFiles(path.join(this.archiveDir, relative), bundle.files);
    return this.record(report, verified, relative);
  }

  /**
   * Signs an app-run drill with the app's key, chained to the server's latest archived report,
   * straight into the archive.
   */
  async createAppReport(
    result: DrillResult,
    evidence: Record<string, Uint8Array | string>,
    options: { language?: ReportLanguage; knownSecrets?: readonly string[] } = {},
  ): Promise<DrillReportEntry> {
    if (result.signer !== 'app')
      throw new AppError('INVALID_INPUT', 'Only app-run drills are signed by the app.');
    const key = await appSigningKey(this.deps.secrets);
    const latest = this.repo.latest(result.server.id);
    const relative = path.join(result.server.id, result.drillId);
    const written = await writeReportBundle(path.join(this.archiveDir, relative), {
      result,
      evidence,
      previous: latest
        ? {
            drillId: latest.drillId,
            manifestSha256: latest.manifestSha256,
            sequence: latest.sequence,
          }
        : null,
      privateKeyPem: key.privateKeyPem,
      principal: key.principal,
      language: options.language,
      knownSecrets: options.knownSecrets,
    });
    return this.record(
      written.report,
      { manifestSha256: written.manifestSha256, countersigned: false },
      relative,
    );
  }

  /**
   * Adds the app's countersignature to an archived agent report (no signed byte changes).
   * @throws AppError NOT_FOUND for an unknown report; CONFLICT when it does not verify, is the
   * app's own report or is countersigned already (a second signature by one key proves nothing).
   */
  async countersign(serverId: string, drillId: string): Promise<DrillReportEntry> {
    const row = this.repo.get(serverId, drillId);
    if (!row) throw new AppError('NOT_FOUND', `No archived report ${drillId}.`);
    if (row.signer === 'app') {
      throw new AppError(
        'CONFLICT',
        `Report ${drillId} is signed by this app already: only agent-signed reports are countersigned.`,
      );
    }
    if (row.countersigned) {
      throw new AppError('CONFLICT', `Report ${drillId} is already countersigned by this app.`);
    }
    const dir = path.join(this.archiveDir, row.bundlePath);
    await this.verifyArchived(dir);
    const key = await appSigningKey(this.deps.secrets);
    const manifest = await fs.readFile(path.join(dir, BUNDLE_FILES.manifest));
    const report = ReportJson.parse(
      JSON.parse(await fs.readFile(path.join(dir, BUNDLE_FILES.reportJson), 'utf8')),
    );
    const envelope = countersignedEnvelope(
      report,
      manifest,
      { role: 'app', principal: key.principal, publicKey: key.publicKey },
      (m) => signSshsig(key.privateKeyPem, Buffer.from(m), SIGNATURE_NAMESPACES.report),
    );
    for (const [name, bytes] of envelope) await fs.writeFile(path.join(dir, name), bytes);
    this.repo.markCountersigned(serverId, drillId);
    return this.absolute({ ...row, countersigned: true });
  }

  /** Writes one zip of a server's archived bundles started in the period, with a summary. */
  async export(input: {
    serverId: string;
    from: string;
    to: string;
    outputPath?: string;
    language?: 'de' | 'en';
  }): Promise<ReportsExportResult> {
    const period = resolvePeriod(input.from, input.to);
    const rows = this.repo.list({ serverId: input.serverId, ...period });
    const { root, zip } = await this.exportZipOf(input.serverId, period, rows);
    const out = path.resolve(input.outputPath ?? path.join(this.exportsDir, `${root}.zip`));
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, zip);
    const language = input.language;
    const readingCopies: string[] = [];
    if (language) {
      // Beside the zip, not in it: a file in the zip that no bundle lists fails verification.
      const dir = `${out.replace(/\.zip$/i, '')}-${language}`;
      await fs.mkdir(dir, { recursive: true });
      // exportZipOf verified every row a moment ago.
      for (const row of rows) {
        const copy = await this.renderReadingCopy(row, language);
        const file = path.join(dir, `${row.drillId}.pdf`);
        await fs.writeFile(file, copy.pdf);
        readingCopies.push(file);
      }
    }
    return {
      path: out,
      sha256: crypto.createHash('sha256').update(zip).digest('hex'),
      reports: rows.length,
      ...period,
      ...(language ? { readingCopies } : {}),
    };
  }

  /**
   * One archived report as the export zip of just that report (summary and bundle folder, the
   * same layout `export` writes), for the console's "save bundle".
   * @throws AppError NOT_FOUND for an unknown report; CONFLICT when it no longer verifies.
   */
  async exportOne(serverId: string, drillId: string): Promise<{ fileName: string; zip: Buffer }> {
    const row = this.repo.get(serverId, drillId);
    if (!row) throw new AppError('NOT_FOUND', `No archived report ${drillId}.`);
    const period = { from: row.startedAt, to: row.startedAt };
    const { zip } = await this.exportZipOf(serverId, period, [row]);
    const name = row.serverName.replace(/[^A-Za-z0-9._-]+/g, '-');
    return { fileName: `kumiko-${name}-${drillId}.zip`, zip };
  }

  /**
   * A reading copy of an archived report's PDF in German or English alone, made from its signed
   * report.json once the bundle verified (node/report/reading-copy.ts). The bundle's own
   * report.pdf (German and English) stays the signed one.
   * @throws AppError NOT_FOUND for an unknown report; CONFLICT when it no longer verifies.
   */
  async readingCopy(
    serverId: string,
    drillId: string,
    language: 'de' | 'en',
  ): Promise<{ fileName: string; pdf: Buffer }> {
    const row = this.repo.get(serverId, drillId);
    if (!row) throw new AppError('NOT_FOUND', `No archived report ${drillId}.`);
    await this.verifyArchived(path.join(this.archiveDir, row.bundlePath));
    return this.renderReadingCopy(row, language);
  }

  /** The reading copy of an archived report that was just verified. */
  private async renderReadingCopy(
    row: ArchivedReport,
    language: 'de' | 'en',
  ): Promise<{ fileName: string; pdf: Buffer }> {
    const dir = path.join(this.archiveDir, row.bundlePath);
    const pdf = await readingCopyPdf((await readTree(dir)).files, row.manifestSha256, language);
    const name = row.serverName.replace(/[^A-Za-z0-9._-]+/g, '-');
    return { fileName: `kumiko-${name}-${row.drillId}-${language}.pdf`, pdf };
  }

  /** The export zip of `rows` (verified first: a damaged archive is reported, never passed on). */
  private async exportZipOf(
    serverId: string,
    period: { from: string; to: string },
    unsorted: ArchivedReport[],
  ): Promise<{ root: string; zip: Buffer }> {
    const rows = [...unsorted].sort((a, b) => a.sequence - b.sequence);
    const serverName = rows[0]?.serverName ?? this.serverName(serverId);
    if (rows.length === 0 && serverName === serverId) {
      throw new AppError('NOT_FOUND', `No server ${serverId} and no reports of it.`);
    }
    for (const row of rows) await this.verifyArchived(path.join(this.archiveDir, row.bundlePath));
    const first = rows[0];
    const anchor = first ? await this.previousOf(first) : null;
    const exportedAt = new Date();
    const summary: ExportSummary = {
      format: EXPORT_FORMAT,
      server: { id: serverId, name: serverName },
      period,
      exportedAt: exportedAt.toISOString(),
      appVersion: this.deps.appVersion,
      anchor,
      reports: rows.map((r) => ({
        drillId: r.drillId,
        sequence: r.sequence,
        startedAt: r.startedAt,
        passed: r.passed,
        rtoSeconds: r.rtoSeconds,
        rpoSeconds: r.rpoSeconds,
        manifestSha256: r.manifestSha256,
        countersigned: r.countersigned,
      })),
    };
    const day = (iso: string) => iso.slice(0, 10);
    const root = `kumiko-drill-reports-${serverId}-${day(period.from)}-${day(period.to)}`;
    const zip = await exportZip(
      root,
      rows.map((r) => ({
        drillId: r.drillId,
        directory: path.join(this.archiveDir, r.bundlePath),
      })),
      summary,
    );
    return { root, zip };
  }

  /**
   * Verifies a bundle, folder of bundles or zip against the keys the app pinned: each known
   * server's bundles against its agent key (pinned at install) and the app's key, other
   * servers' against `keys` (an auditor's list). A bundle's own allowed_signers is never
   * trusted: a valid signature no trusted key matches gives status 'untrusted-signer'.
   */
  async verify(input: {
    path: string;
    keys?: string;
    requireFirstReport?: boolean;
  }): Promise<ReportVerification> {
    let auditorKeys: string[] = [];
    if (input.keys) {
      try {
        auditorKeys = parseTrustedKeys(input.keys);
      } catch (error) {
        throw new AppError('INVALID_INPUT', (error as Error).message);
      }
    }
    return verifyReportPath(
      input.path,
      await pinnedTrust(input.path, await this.pinnedKeys(), auditorKeys),
      { requireFirstReport: input.requireFirstReport },
    );
  }

  /** Verifies an archived bundle against its server's pinned keys. @throws AppError CONFLICT */
  private async verifyArchived(dir: string): Promise<BundleVerification> {
    const result = await verifyReportPath(dir, await pinnedTrust(dir, await this.pinnedKeys(), []));
    const bundle = result.bundles[0];
    const trusted = bundle?.signerTrusted === true;
    if (!result.ok || !bundle || !trusted) {
      const problems = [...result.problems, ...(bundle?.problems ?? [])].map((p) => p.message);
      if (bundle && !trusted) problems.push('not signed by a key pinned for this server');
      throw new AppError('CONFLICT', `The report bundle ${dir} does not verify.`, { problems });
    }
    return bundle;
  }

  /** The agent keys pinned at install and the app's own key. */
  private async pinnedKeys(): Promise<PinnedReportKeys> {
    return {
      agentKey: (serverId) => this.deps.agent.installed(serverId)?.publicKey ?? null,
      appKey: await appPublicKey(this.deps.secrets),
    };
  }

  /** The server's name in the app, or its id when the server was removed (reports outlive it). */
  private serverName(serverId: string): string {
    try {
      return this.deps.servers.get(serverId).name;
    } catch {
      return serverId;
    }
  }

  private readReport(files: ReadonlyMap<string, Uint8Array>): ReportJson {
    const bytes = files.get(BUNDLE_FILES.reportJson);
    if (!bytes) throw new AppError('INVALID_INPUT', 'The bundle has no report.json.');
    return ReportJson.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  }

  /** A new report must be the next link of its server's archived chain. */
  private checkContinues(report: ReportJson, verified: BundleVerification): void {
    const latest = this.repo.latest(report.drill.server.id);
    if (this.repo.get(report.drill.server.id, report.drill.drillId)) {
      throw new AppError('CONFLICT', `Report ${report.drill.drillId} is already archived.`);
    }
    if (!latest) return; // the archive starts here (the app may be newer than the agent's chain)
    const previous = report.chain.previous;
    if (
      previous?.manifestSha256 !== latest.manifestSha256 ||
      report.chain.sequence !== latest.sequence + 1
    ) {
      throw new AppError(
        'CONFLICT',
        `Report #${report.chain.sequence} (${report.drill.drillId}) does not follow the latest archived report #${latest.sequence} (${latest.drillId}).`,
        { manifestSha256: verified.manifestSha256, expectedPrevious: latest.manifestSha256 },
      );
    }
  }

  private record(
    report: ReportJson,
    verified: {
      manifestSha256: string | null;
      countersigned?: boolean;
      signatures?: BundleVerification['signatures'];
    },
    relative: string,
  ): DrillReportEntry {
    const row: ArchivedReport = {
      serverId: report.drill.server.id,
      serverName: report.drill.server.name,
      drillId: report.drill.drillId,
      sequence: report.chain.sequence,
      startedAt: new Date(report.drill.startedAt).toISOString(),
      finishedAt: new Date(report.drill.finishedAt).toISOString(),
      passed: report.drill.passed,
      rtoSeconds: report.drill.rtoSeconds,
      rpoSeconds: report.drill.rpoSeconds,
      signer: report.drill.signer,
      countersigned:
        verified.countersigned ??
        !!verified.signatures?.some((s) => s.role === 'countersignature' && s.valid),
      manifestSha256: verified.manifestSha256 as string,
      previousManifestSha256: report.chain.previous?.manifestSha256 ?? null,
      bundlePath: relative,
      archivedAt: new Date().toISOString(),
    };
    this.repo.insert(row);
    return this.absolute(row);
  }

  private async previousOf(row: ArchivedReport): Promise<ExportSummary['anchor']> {
    const text = await fs.readFile(
      path.join(this.archiveDir, row.bundlePath, BUNDLE_FILES.reportJson),
      'utf8',
    );
    return ReportJson.parse(JSON.parse(text)).chain.previous;
  }

  private absolute(row: ArchivedReport): DrillReportEntry {
    return { ...row, bundlePath: path.join(this.archiveDir, row.bundlePath) };
  }
}
