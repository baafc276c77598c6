import { SIGNATURE_NAMESPACES } from '../agent/bucket-layout';
import { bytesEqual, utf8Decode } from '../sshsig/bytes';
import { decodeSshsig, openSshPublicKeyLine, parseOpenSshPublicKeyLine } from '../sshsig/sshsig';
import { parseAllowedSigners, type AllowedSigner } from './allowed-signers';
import { BUNDLE_FILES, ENVELOPE_FILES, EVIDENCE_DIR, evidencePath } from './bundle-layout';
import { parseChainFile, verifyChain, type ChainVerification } from './chain';
import { keyFingerprint } from './keys';
import { parseManifest, toHex } from './manifest';
import { ReportJson } from './report-json';
import type {
  BundleInput,
  BundleProblem,
  BundleVerification,
  SignatureCheck,
  VerificationStatus,
  VerifyCrypto,
  VerifyTrust,
} from './verify-types';

export type * from './verify-types';

/**
 * Verifies report bundles the way an auditor's stock tools would, and more: signatures (against
 * keys the caller trusts; a key only the bundle's own allowed_signers names is reported as
 * 'signer-not-trusted', never as valid), every hash in MANIFEST.sha256,
 * no unlisted files, report.json consistent with what signed it, and the chain across bundles.
 * Pure: files come in as bytes, crypto as functions (node:crypto in the callers).
 */

/** The keys one bundle is expected to be signed by (empty: nothing is expected of it). */
function keysFor(trust: VerifyTrust, serverId: string | null): readonly string[] {
  const own = serverId !== null ? trust.serverKeys?.[serverId] : undefined;
  return own ?? trust.pinnedKeys;
}

/** Keys for one bundle: those it must be signed by, and all that count as trusted for it. */
interface BundleKeys {
  expected: readonly string[];
  trusted: readonly string[];
}

const NS = SIGNATURE_NAMESPACES.report;

/** Verifies one bundle. Never throws on bad input: every finding is in the result. */
export function verifyBundle(
  input: BundleInput,
  trust: VerifyTrust,
  crypto: VerifyCrypto,
): BundleVerification {
  const problems: BundleProblem[] = [...(input.readProblems ?? [])];
  const warnings: string[] = [];
  const files = input.files;
  const result: BundleVerification = {
    location: input.location,
    ok: false,
    drillId: null,
    serverId: null,
    serverName: null,
    sequence: null,
    passed: null,
    startedAt: null,
    rtoSeconds: null,
    rpoSeconds: null,
    manifestSha256: null,
    previous: null,
    listedFiles: 0,
    signatures: [],
    signerTrusted: false,
    problems,
    warnings,
  };
  const manifest = files.get(BUNDLE_FILES.manifest);
  if (!manifest) {
    problems.push({
      code: 'manifest-missing',
      file: BUNDLE_FILES.manifest,
      message: 'no MANIFEST.sha256',
    });
    return result;
  }
  result.manifestSha256 = toHex(crypto.sha256(manifest));
  const listed = checkHashes(files, manifest, crypto, problems);
  result.listedFiles = listed.size;
  const report = checkReport(files, listed, problems);
  const expected = keysFor(trust, report?.drill.server.id ?? null);
  const keys = { expected, trusted: [...expected, ...(trust.knownKeys ?? [])] };
  result.signatures = checkSignatures(files, manifest, keys, crypto, problems, warnings);
  result.signerTrusted = result.signatures.some(
    (s) => s.role === 'primary' && s.valid && s.trust === 'pinned',
  );
  if (report) {
    const primary = result.signatures.find((s) => s.role === 'primary');
    const signedBy = primary?.valid ? signatureKey(files.get(BUNDLE_FILES.signature)) : null;
    if (signedBy && !sameKey(signedBy, report.signer.publicKey)) {
      problems.push({
        code: 'report-signer-mismatch',
        file: BUNDLE_FILES.reportJson,
        message: `report.json names ${report.signer.principal} as signer, but another key signed the manifest`,
      });
    }
    Object.assign(result, {
      drillId: report.drill.drillId,
      serverId: report.drill.server.id,
      serverName: report.drill.server.name,
      sequence: report.chain.sequence,
      passed: report.drill.passed,
      startedAt: report.drill.startedAt,
      rtoSeconds: report.drill.rtoSeconds,
      rpoSeconds: report.drill.rpoSeconds,
      previous: report.chain.previous,
    });
  }
  result.ok = problems.length === 0;
  return result;
}

/** Every listed file is there with its hash; nothing outside the envelope is unlisted. */
function checkHashes(
  files: ReadonlyMap<string, Uint8Array>,
  manifest: Uint8Array,
  crypto: VerifyCrypto,
  problems: BundleProblem[],
): Set<string> {
  let text: string;
  try {
    text = utf8Decode(manifest);
  } catch {
    problems.push({
      code: 'manifest-malformed',
      file: BUNDLE_FILES.manifest,
      message: 'MANIFEST.sha256 is not UTF-8',
    });
    return new Set();
  }
  const parsed = parseManifest(text);
  for (const message of parsed.problems) {
    problems.push({ code: 'manifest-malformed', file: BUNDLE_FILES.manifest, message });
  }
  const listed = new Set<string>();
  for (const entry of parsed.entries) {
    listed.add(entry.path);
    const bytes = files.get(entry.path);
    if (!bytes) {
      problems.push({
        code: 'missing-file',
        file: entry.path,
        message: `${entry.path} is listed but missing`,
      });
    } else if (toHex(crypto.sha256(bytes)) !== entry.sha256) {
      problems.push({
        code: 'hash-mismatch',
        file: entry.path,
        message: `${entry.path} does not match its SHA-256 in the manifest`,
      });
    }
  }
  for (const path of files.keys()) {
    if (!listed.has(path) && !ENVELOPE_FILES.includes(path)) {
      problems.push({
        code: 'unlisted-file',
        file: path,
        message: `${path} is not in the manifest`,
      });
    }
  }
  return listed;
}

function checkSignatures(
  files: ReadonlyMap<string, Uint8Array>,
  manifest: Uint8Array,
  keys: BundleKeys,
  crypto: VerifyCrypto,
  problems: BundleProblem[],
  warnings: string[],
): SignatureCheck[] {
  const allowed = readAllowedSigners(files.get(BUNDLE_FILES.allowedSigners), warnings);
  const checks: SignatureCheck[] = [];
  const specs = [
    { file: BUNDLE_FILES.signature, role: 'primary' as const },
    { file: BUNDLE_FILES.appSignature, role: 'countersignature' as const },
  ];
  for (const { file, role } of specs) {
    const bytes = files.get(file);
    if (!bytes) {
      if (role === 'primary')
        problems.push({ code: 'signature-missing', file, message: `no ${file}` });
      continue;
    }
    const check = checkSignature(file, role, bytes, manifest, keys.trusted, allowed, crypto);
    checks.push(check);
    const who = `${check.fingerprint ?? 'an unknown key'}${check.principal ? ` (${check.principal})` : ''}`;
    if (!check.valid) {
      const code = role === 'primary' ? 'signature-invalid' : 'countersignature-invalid';
      problems.push({ code, file, message: `${file} does not verify over MANIFEST.sha256` });
    } else if (check.trust === 'pinned') {
      continue;
    } else if (keys.expected.length > 0) {
      // Another key than the one pinned for this signer: whoever made it, it is not the signer.
      const message = `${file} is signed by ${who}, which is not a pinned key`;
      if (role === 'primary') problems.push({ code: 'signature-untrusted', file, message });
      else warnings.push(message);
    } else {
      // A valid signature by a key only the bundle itself names proves nothing: anyone who
      // changed the report could have re-signed it and replaced allowed_signers.
      const message = `${file} is a valid signature by ${who}, but no trusted key matches it (${check.trust === 'bundle' ? "the key comes only from the bundle's own allowed_signers" : 'not even allowed_signers names it'}): compare that fingerprint with the one in the recovery kit, then pass the key with --key`;
      if (role === 'primary') problems.push({ code: 'signer-not-trusted', file, message });
      else warnings.push(message);
    }
  }
  return checks;
}

function checkSignature(
  file: string,
  role: SignatureCheck['role'],
  bytes: Uint8Array,
  manifest: Uint8Array,
  trusted: readonly string[],
  allowed: AllowedSigner[],
  crypto: VerifyCrypto,
): SignatureCheck {
  const check: SignatureCheck = {
    file,
    role,
    valid: false,
    principal: null,
    fingerprint: null,
    trust: 'none',
  };
  const key = signatureKey(bytes);
  if (!key) return check;
  check.fingerprint = keyFingerprint(key, crypto.sha256);
  const named = allowed.find(
    (a) =>
      sameKey(openSshPublicKeyLine(a.key.publicKey), key) &&
      (a.namespaces === null || a.namespaces.includes(NS)),
  );
  check.principal = named?.principals[0] ?? null;
  if (trusted.some((p) => sameKey(p, key))) check.trust = 'pinned';
  else if (named) check.trust = 'bundle';
  check.valid = crypto.verifySshsig(utf8OrEmpty(bytes), manifest, NS, key);
  return check;
}

/** The key line inside an armored signature, or null when it does not parse. */
function signatureKey(bytes: Uint8Array | undefined): string | null {
  if (!bytes) return null;
  try {
    return openSshPublicKeyLine(decodeSshsig(utf8OrEmpty(bytes)).publicKey);
  } catch {
    return null;
  }
}

function sameKey(a: string, b: string): boolean {
  try {
    return bytesEqual(
      parseOpenSshPublicKeyLine(a).publicKey,
      parseOpenSshPublicKeyLine(b).publicKey,
    );
  } catch {
    return false;
  }
}

function readAllowedSigners(bytes: Uint8Array | undefined, warnings: string[]): AllowedSigner[] {
  if (!bytes) {
    warnings.push('no allowed_signers in the bundle');
    return [];
  }
  const parsed = parseAllowedSigners(utf8OrEmpty(bytes));
  warnings.push(...parsed.problems);
  return parsed.signers;
}

/** report.json parses and agrees with the manifest: evidence, PDF and chain link listed. */
function checkReport(
  files: ReadonlyMap<string, Uint8Array>,
  listed: ReadonlySet<string>,
  problems: BundleProblem[],
): ReportJson | null {
  const file = BUNDLE_FILES.reportJson;
  const bytes = files.get(file);
  if (!bytes) {
    if (listed.has(file)) return null; // already reported as missing
    problems.push({ code: 'missing-file', file, message: 'no report.json in the manifest' });
    return null;
  }
  let report: ReportJson;
  try {
    report = ReportJson.parse(JSON.parse(utf8Decode(bytes)));
  } catch (error) {
    problems.push({
      code: 'report-invalid',
      file,
      message: `report.json is not a valid report: ${(error as Error).message.slice(0, 300)}`,
    });
    return null;
  }
  if (!listed.has(BUNDLE_FILES.reportPdf)) {
    problems.push({
      code: 'missing-file',
      file: BUNDLE_FILES.reportPdf,
      message: 'no report.pdf in the manifest',
    });
  }
  const declared = new Set(report.evidence.map((e) => evidencePath(e.name)));
  const present = [...listed].filter((p) => p.startsWith(EVIDENCE_DIR));
  for (const path of declared) {
    if (!listed.has(path))
      problems.push({
        code: 'evidence-mismatch',
        file: path,
        message: `report.json lists ${path}, the manifest does not`,
      });
  }
  for (const path of present) {
    if (!declared.has(path))
      problems.push({
        code: 'evidence-mismatch',
        file: path,
        message: `${path} is not in report.json's evidence list`,
      });
  }
  checkChainFile(files, listed, report, problems);
  return report;
}

function checkChainFile(
  files: ReadonlyMap<string, Uint8Array>,
  listed: ReadonlySet<string>,
  report: ReportJson,
  problems: BundleProblem[],
): void {
  const file = BUNDLE_FILES.chain;
  const bytes = files.get(file);
  const expected = report.chain.previous;
  if (!expected) {
    if (listed.has(file))
      problems.push({
        code: 'chain-file-mismatch',
        file,
        message: 'the first report has a chain link',
      });
    return;
  }
  if (!listed.has(file) || !bytes) {
    problems.push({
      code: 'chain-file-mismatch',
      file,
      message: `report.json names a previous report, but ${file} is not in the manifest`,
    });
    return;
  }
  const link = parseChainFile(utf8OrEmpty(bytes));
  if (
    !link ||
    link.drillId !== expected.drillId ||
    link.manifestSha256 !== expected.manifestSha256
  ) {
    problems.push({
      code: 'chain-file-mismatch',
      file,
      message: `${file} does not match report.json's previous report`,
    });
  }
}

function utf8OrEmpty(bytes: Uint8Array): string {
  try {
    return utf8Decode(bytes);
  } catch {
    return '';
  }
}

/** The chain of one server across the verified bundles. */
export interface ServerChain extends ChainVerification {
  serverId: string;
  drillIds: string[];
}

/** Several bundles: each verified, then chained per server in sequence order. */
export interface BundlesVerification {
  ok: boolean;
  status: VerificationStatus;
  bundles: BundleVerification[];
  chains: ServerChain[];
}

/**
 * Verifies bundles and the chain of each server among them (ordered by sequence). Bundles whose
 * report.json could not be read take no part in the chain; their own problems say why.
 * With `requireFirstReport`, each server's chain must start at its first report.
 */
export function verifyBundles(
  inputs: readonly BundleInput[],
  trust: VerifyTrust,
  crypto: VerifyCrypto,
  options: { requireFirstReport?: boolean } = {},
): BundlesVerification {
  const bundles = inputs.map((input) => verifyBundle(input, trust, crypto));
  const byServer = new Map<string, BundleVerification[]>();
  for (const b of bundles) {
    if (
      b.serverId === null ||
      b.sequence === null ||
      b.manifestSha256 === null ||
      b.drillId === null
    )
      continue;
    byServer.set(b.serverId, [...(byServer.get(b.serverId) ?? []), b]);
  }
  const chains: ServerChain[] = [...byServer].map(([serverId, members]) => {
    const ordered = [...members].sort((a, b) => (a.sequence as number) - (b.sequence as number));
    const chain = verifyChain(
      ordered.map((m) => ({
        drillId: m.drillId as string,
        serverId,
        sequence: m.sequence as number,
        manifestSha256: m.manifestSha256 as string,
        previous: m.previous,
      })),
      options,
    );
    return { serverId, drillIds: ordered.map((m) => m.drillId as string), ...chain };
  });
  const ok = bundles.every((b) => b.ok) && chains.every((c) => c.ok);
  return { ok, status: verificationStatus(bundles, chains, []), bundles, chains };
}

/**
 * 'untrusted-signer' when the only findings are signatures by keys nobody trusts (everything
 * else checked out), 'valid' when there are none, else 'invalid'.
 */
export function verificationStatus(
  bundles: readonly BundleVerification[],
  chains: readonly { ok: boolean }[],
  otherProblems: readonly BundleProblem[],
): VerificationStatus {
  const problems = [...bundles.flatMap((b) => b.problems), ...otherProblems];
  if (!chains.every((c) => c.ok)) return 'invalid';
  if (problems.length === 0) return 'valid';
  return problems.every((p) => p.code === 'signer-not-trusted') ? 'untrusted-signer' : 'invalid';
}
