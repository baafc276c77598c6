import { utf8Encode } from '../sshsig/bytes';
import { allowedSignersText, verifyText, type BundleSigner } from './allowed-signers';
import { BUNDLE_FILES, comparePaths, evidencePath, isEvidenceName } from './bundle-layout';
import { chainFileText, type ChainPrevious } from './chain';
import { DrillResult, referencedEvidence } from './drill-result';
import type { Sha256 } from './keys';
import { formatManifest, toHex } from './manifest';
import {
  reportJsonText,
  type ReportJson,
  type ReportLanguage,
  type ReportSigner,
} from './report-json';
import { secretsIn } from './secret-guard';

/**
 * Building a bundle without I/O: the report, the payload files, the manifest and the envelope,
 * with hashing and signing passed in. The Node writer (node/report/write-bundle.ts) renders the
 * PDF between {@link buildReport} and {@link sealBundle} and writes the result to disk.
 */

/** The previous report of the same server, or null for its first report. */
export interface PreviousReport extends ChainPrevious {
  sequence: number;
}

/** Everything a report is made from, besides the PDF. */
export interface ReportSource {
  result: DrillResult;
  /** Evidence files by name (relative to `evidence/`). */
  evidence: ReadonlyMap<string, Uint8Array>;
  previous: PreviousReport | null;
  signer: ReportSigner;
  language: ReportLanguage;
  /** Secret values the evidence must not contain (repository passphrases, S3 keys …). */
  knownSecrets?: readonly string[];
}

/** A bundle that cannot be made as asked: bad names, missing evidence, or a secret in it. */
export class ReportBundleError extends Error {
  override name = 'ReportBundleError';
}

/**
 * Validates the source and returns report.json's content and exact bytes.
 * @throws ReportBundleError, or ZodError for an invalid drill result.
 */
export function buildReport(source: ReportSource): { report: ReportJson; bytes: Uint8Array } {
  const drill = DrillResult.parse(source.result);
  const names = [...source.evidence.keys()].sort(comparePaths);
  const bad = names.filter((n) => !isEvidenceName(n));
  if (bad.length) throw new ReportBundleError(`unsafe evidence file names: ${bad.join(', ')}`);
  const missing = referencedEvidence(drill).filter((n) => !source.evidence.has(n));
  if (missing.length)
    throw new ReportBundleError(`checks name missing evidence: ${missing.join(', ')}`);
  const report: ReportJson = {
    format: 'kumiko-drill-report/1',
    drill,
    chain: {
      sequence: source.previous ? source.previous.sequence + 1 : 1,
      previous: source.previous
        ? { drillId: source.previous.drillId, manifestSha256: source.previous.manifestSha256 }
        : null,
    },
    signer: source.signer,
    evidence: names.map((name) => ({
      name,
      bytes: (source.evidence.get(name) as Uint8Array).length,
    })),
    language: source.language,
  };
  const bytes = utf8Encode(reportJsonText(report));
  // Compared as Latin-1 of the UTF-8 bytes on both sides: binary evidence cannot be decoded.
  const secrets = (source.knownSecrets ?? []).map((s) => latin1(utf8Encode(s)));
  const checked: [string, Uint8Array][] = [
    ...names.map((n): [string, Uint8Array] => [
      evidencePath(n),
      source.evidence.get(n) as Uint8Array,
    ]),
    [BUNDLE_FILES.reportJson, bytes],
  ];
  const leaks = checked
    .map(([file, content]) => [file, secretsIn(latin1(content), secrets)] as const)
    .filter(([, found]) => found.length > 0);
  if (leaks.length) {
    // Names of files and kinds only: the message must not repeat the secret.
    throw new ReportBundleError(
      `refusing to sign a report that contains secrets: ${leaks.map(([f, found]) => `${f} (${found.join(', ')})`).join('; ')}`,
    );
  }
  return { report, bytes };
}

/** The signed files of a bundle: report.json, report.pdf, evidence/…, and the chain link. */
export function payloadFiles(
  source: Pick<ReportSource, 'evidence' | 'previous'>,
  reportJson: Uint8Array,
  reportPdf: Uint8Array,
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([
    [BUNDLE_FILES.reportJson, reportJson],
    [BUNDLE_FILES.reportPdf, reportPdf],
  ]);
  for (const [name, bytes] of source.evidence) files.set(evidencePath(name), bytes);
  if (source.previous) files.set(BUNDLE_FILES.chain, utf8Encode(chainFileText(source.previous)));
  return files;
}

/** A complete bundle in memory. */
export interface SealedBundle {
  /** Every file by relative path, the envelope included. */
  files: Map<string, Uint8Array>;
  manifestSha256: string;
}

/**
 * Adds MANIFEST.sha256 over `payload`, its signature by `signer`, allowed_signers and
 * VERIFY.txt. `sign` returns the armored SSHSIG (namespace kumiko-report) of the manifest bytes.
 */
export function sealBundle(
  drillId: string,
  payload: ReadonlyMap<string, Uint8Array>,
  crypto: { sha256: Sha256; sign: (manifest: Uint8Array) => string },
  signer: BundleSigner,
): SealedBundle {
  const manifestText = formatManifest(
    [...payload].map(([path, bytes]) => ({ path, sha256: toHex(crypto.sha256(bytes)) })),
  );
  const manifest = utf8Encode(manifestText);
  const files = new Map(payload);
  files.set(BUNDLE_FILES.manifest, manifest);
  files.set(BUNDLE_FILES.signature, utf8Encode(crypto.sign(manifest)));
  files.set(BUNDLE_FILES.allowedSigners, utf8Encode(allowedSignersText([signer])));
  files.set(
    BUNDLE_FILES.verifyText,
    utf8Encode(verifyText(drillId, [signer], payload.has(BUNDLE_FILES.chain))),
  );
  return { files, manifestSha256: toHex(crypto.sha256(manifest)) };
}

/** Bytes as Latin-1 text: lossless for the ASCII patterns the secret guard looks for. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/**
 * The envelope files after the app countersigns: its signature over the unchanged manifest,
 * and allowed_signers and VERIFY.txt naming both signers. No signed byte changes.
 */
export function countersignedEnvelope(
  report: Pick<ReportJson, 'drill' | 'signer' | 'chain'>,
  manifest: Uint8Array,
  app: BundleSigner,
  sign: (manifest: Uint8Array) => string,
): Map<string, Uint8Array> {
  const primary: BundleSigner = {
    role: report.signer.kind,
    principal: report.signer.principal,
    publicKey: report.signer.publicKey,
  };
  const signers = [primary, app];
  return new Map([
    [BUNDLE_FILES.appSignature, utf8Encode(sign(manifest))],
    [BUNDLE_FILES.allowedSigners, utf8Encode(allowedSignersText(signers))],
    [
      BUNDLE_FILES.verifyText,
      utf8Encode(verifyText(report.drill.drillId, signers, report.chain.previous !== null)),
    ],
  ]);
}
