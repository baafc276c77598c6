import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SIGNATURE_NAMESPACES } from '../../shared/agent/bucket-layout';
import {
  buildReport,
  payloadFiles,
  ReportBundleError,
  sealBundle,
  type PreviousReport,
} from '../../shared/report/bundle-plan';
import type { DrillResult } from '../../shared/report/drill-result';
import { keyFingerprint } from '../../shared/report/keys';
import { reportPdfModel } from '../../shared/report/pdf-model';
import type { ReportJson, ReportLanguage } from '../../shared/report/report-json';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { ed25519PublicKeyFromPrivate, signSshsig } from '../signing';
import { sha256 } from './node-crypto';

/** What a drill hands over to become a signed report bundle. */
export interface ReportBundleOptions {
  result: DrillResult;
  /** Evidence files by name (relative to `evidence/`, e.g. `pgbackrest-info.json`). */
  evidence: ReadonlyMap<string, Uint8Array | string> | Record<string, Uint8Array | string>;
  /** The server's previous report, or null for its first (starts the chain). */
  previous: PreviousReport | null;
  /** PKCS#8 PEM Ed25519 key of the signer (`result.signer`): the agent's or the app's. */
  privateKeyPem: string;
  /** allowed_signers principal; default `kumiko-<signer>@<serverId>`. */
  principal?: string;
  /** report.pdf language; default German and English side by side. */
  language?: ReportLanguage;
  /** Values that must not appear in the bundle (repository passphrases, S3 secret keys …). */
  knownSecrets?: readonly string[];
}

/** A bundle in memory: every file by relative path. */
export interface BuiltReportBundle {
  report: ReportJson;
  files: Map<string, Uint8Array>;
  /** SHA-256 of MANIFEST.sha256: the next report's `previous.manifestSha256`. */
  manifestSha256: string;
}

/**
 * Builds a signed report bundle in memory (the agent uploads these files to
 * `kumiko/<serverId>/drills/<drillId>/`; {@link writeReportBundle} puts them in a folder).
 * The private key is used to sign and never written anywhere.
 * @throws ReportBundleError (bad evidence names, missing evidence, secrets), ZodError (invalid result)
 */
export async function buildReportBundle(options: ReportBundleOptions): Promise<BuiltReportBundle> {
  const evidence = toBytesMap(options.evidence);
  const publicKey = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(options.privateKeyPem));
  const kind = options.result.signer;
  const principal = options.principal ?? `kumiko-${kind}@${options.result.server.id}`;
  const source = {
    result: options.result,
    evidence,
    previous: options.previous,
    signer: { kind, principal, publicKey },
    language: options.language ?? 'de+en',
    knownSecrets: options.knownSecrets,
  };
  const { report, bytes } = buildReport(source);
  const model = reportPdfModel(report, evidence, {
    signerFingerprint: keyFingerprint(publicKey, sha256),
  });
  // Loaded here, not at the top: pdfkit and its fonts take a tenth of a second to initialise,
  // which every agent start (each heartbeat, each snapshot) would otherwise pay.
  const { renderReportPdf } = await import('./report-pdf');
  const pdf = await renderReportPdf(model, new Date(report.drill.finishedAt));
  const sealed = sealBundle(
    report.drill.drillId,
    payloadFiles(source, bytes, new Uint8Array(pdf)),
    {
      sha256,
      sign: (manifest) =>
        signSshsig(options.privateKeyPem, Buffer.from(manifest), SIGNATURE_NAMESPACES.report),
    },
    { role: kind, principal, publicKey },
  );
  return { report, ...sealed };
}

/** A bundle written to disk. */
export interface WrittenReportBundle extends BuiltReportBundle {
  directory: string;
}

/**
 * Builds the bundle and writes it to `directory` (which must not exist yet), through a
 * temporary sibling folder renamed at the end, so a crash never leaves a half bundle under the
 * final name.
 */
export async function writeReportBundle(
  directory: string,
  options: ReportBundleOptions,
): Promise<WrittenReportBundle> {
  const built = await buildReportBundle(options);
  await writeBundleFiles(directory, built.files);
  return { ...built, directory };
}

/** Writes bundle files into a new folder via a temporary sibling. @throws if it exists. */
export async function writeBundleFiles(
  directory: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<void> {
  const exists = await fs.stat(directory).then(
    () => true,
    () => false,
  );
  if (exists) throw new ReportBundleError(`${directory} already exists`);
  await fs.mkdir(path.dirname(directory), { recursive: true });
  const temp = `${directory}.partial-${randomBytes(4).toString('hex')}`;
  try {
    for (const [relative, bytes] of files) {
      const target = path.join(temp, ...relative.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, bytes, { flag: 'wx' });
    }
    await fs.rename(temp, directory);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function toBytesMap(evidence: ReportBundleOptions['evidence']): Map<string, Uint8Array> {
  const entries = evidence instanceof Map ? [...evidence] : Object.entries(evidence);
  return new Map(
    entries.map(([name, value]) => [
      name,
      typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'utf8')) : value,
    ]),
  );
}
