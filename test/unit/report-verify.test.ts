import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVerifyCrypto, sha256 } from '../../node/report/node-crypto';
import { buildReportBundle, type BuiltReportBundle } from '../../node/report/write-bundle';
import { generateEd25519KeyPair, signSshsig } from '../../node/signing';
import {
  buildReport,
  countersignedEnvelope,
  ReportBundleError,
  sealBundle,
} from '../../shared/report/bundle-plan';
import { BUNDLE_FILES, ENVELOPE_FILES } from '../../shared/report/bundle-layout';
import { verifyBundle, verifyBundles } from '../../shared/report/verify';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { sampleDrill, sampleEvidence, SERVER_ID } from './report-fixtures';

// Verification of whole bundles built by the real writer (node:crypto, pdfkit), tampered in
// memory: every way a bundle can be wrong is reported with its own code.

const agentKey = generateEd25519KeyPair();
const otherKey = generateEd25519KeyPair();
const agentPub = openSshPublicKeyLine(agentKey.publicKey);
const otherPub = openSshPublicKeyLine(otherKey.publicKey);
const appPubFor = () => openSshPublicKeyLine(generateEd25519KeyPair().publicKey);
let bundle: BuiltReportBundle;

beforeAll(async () => {
  bundle = await build('drill-1');
});

function build(drillId: string, previous: BuiltReportBundle | null = null, sequence = 1) {
  return buildReportBundle({
    result: sampleDrill(drillId),
    evidence: sampleEvidence(),
    previous: previous
      ? {
          drillId: previous.report.drill.drillId,
          manifestSha256: previous.manifestSha256,
          sequence,
        }
      : null,
    privateKeyPem: agentKey.privateKeyPem,
  });
}

function verify(files: Map<string, Uint8Array>, pinnedKeys: string[] = [agentPub]) {
  return verifyBundle({ location: 'mem', files }, { pinnedKeys }, nodeVerifyCrypto);
}

function flipped(bytes: Uint8Array, at = Math.floor(bytes.length / 2)): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code).sort();

describe('report bundle verification', () => {
  it('accepts a fresh bundle against the pinned key and says who signed it', () => {
    const result = verify(bundle.files);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result).toMatchObject({
      ok: true,
      drillId: 'drill-1',
      serverId: SERVER_ID,
      sequence: 1,
      passed: true,
      rtoSeconds: 252,
      rpoSeconds: 47,
      previous: null,
      manifestSha256: bundle.manifestSha256,
      listedFiles: 2 + Object.keys(sampleEvidence()).length,
    });
    expect(result.signatures).toEqual([
      {
        file: BUNDLE_FILES.signature,
        role: 'primary',
        valid: true,
        principal: `kumiko-agent@${SERVER_ID}`,
        fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/),
        trust: 'pinned',
      },
    ]);
  });

  it('builds byte-identical bundles from the same input (PDF and signature included)', async () => {
    const again = await build('drill-1');
    expect([...again.files.keys()]).toEqual([...bundle.files.keys()]);
    for (const [name, bytes] of bundle.files) expect(again.files.get(name), name).toEqual(bytes);
  });

  it('without a trusted key, never trusts allowed_signers from the bundle: signer not trusted', () => {
    const result = verify(bundle.files, []);
    expect(result.ok).toBe(false);
    expect(result.signerTrusted).toBe(false);
    expect(result.signatures[0]).toMatchObject({ valid: true, trust: 'bundle' });
    expect(codes(result)).toEqual(['signer-not-trusted']);
    expect(result.problems[0]?.message).toMatch(/no trusted key matches it/);
    const all = verifyBundles(
      [{ location: 'mem', files: bundle.files }],
      { pinnedKeys: [] },
      nodeVerifyCrypto,
    );
    expect(all).toMatchObject({ ok: false, status: 'untrusted-signer' });
    expect(verify(bundle.files).signerTrusted).toBe(true);
  });

  it('a forged bundle (FAILED made PASSED, re-signed, allowed_signers replaced) is never valid', async () => {
    const drill = sampleDrill('drill-1', { passed: false, rtoSeconds: null });
    drill.checks[1] = { ...drill.checks[1]!, passed: false, detail: '1 corrupt relation.' };
    const failed = await buildReportBundle({
      result: drill,
      evidence: sampleEvidence(),
      previous: null,
      privateKeyPem: agentKey.privateKeyPem,
    });
    // The forger rewrites report.json (verdict and signer), re-hashes and re-signs with an own key.
    const report = JSON.parse(
      Buffer.from(failed.files.get(BUNDLE_FILES.reportJson) as Uint8Array).toString(),
    ) as {
      drill: { passed: boolean; rtoSeconds: number | null; checks: { passed: boolean }[] };
      signer: { principal: string; publicKey: string };
    };
    report.drill.passed = true;
    report.drill.rtoSeconds = 252;
    for (const check of report.drill.checks) check.passed = true;
    report.signer.publicKey = otherPub;
    const payload = new Map([...failed.files].filter(([n]) => !ENVELOPE_FILES.includes(n))).set(
      BUNDLE_FILES.reportJson,
      Buffer.from(JSON.stringify(report)),
    );
    const forged = sealBundle(
      'drill-1',
      payload,
      { sha256, sign: (m) => signSshsig(otherKey.privateKeyPem, Buffer.from(m), 'kumiko-report') },
      { role: 'agent', principal: report.signer.principal, publicKey: otherPub },
    );
    const input = [{ location: 'mem', files: forged.files }];
    // Nobody trusted: consistent in itself, but nothing says who wrote it.
    const alone = verifyBundles(input, { pinnedKeys: [] }, nodeVerifyCrypto);
    expect(alone).toMatchObject({ ok: false, status: 'untrusted-signer' });
    expect(alone.bundles[0]).toMatchObject({ passed: true, signerTrusted: false });
    // The key pinned for the server (or given by the auditor) refuses it.
    for (const trust of [
      { pinnedKeys: [agentPub] },
      { pinnedKeys: [otherPub], serverKeys: { [SERVER_ID]: [agentPub] } },
      { pinnedKeys: [], serverKeys: { [SERVER_ID]: [agentPub] }, knownKeys: [appPubFor()] },
    ]) {
      const result = verifyBundles(input, trust, nodeVerifyCrypto);
      expect(result.status, JSON.stringify(trust)).toBe('invalid');
      expect(codes(result.bundles[0]!)).toEqual(['signature-untrusted']);
    }
  });

  it("trusts a known key (the app's) for any bundle, without expecting it of others", () => {
    const known = { pinnedKeys: [], knownKeys: [agentPub] };
    const result = verifyBundle({ location: 'mem', files: bundle.files }, known, nodeVerifyCrypto);
    expect(result).toMatchObject({ ok: true, signerTrusted: true });
    const other = { pinnedKeys: [], knownKeys: [otherPub] };
    const untrusted = verifyBundle(
      { location: 'mem', files: bundle.files },
      other,
      nodeVerifyCrypto,
    );
    expect(codes(untrusted)).toEqual(['signer-not-trusted']);
  });

  it('refuses a signature by a key other than the pinned one', () => {
    const result = verify(bundle.files, [otherPub]);
    expect(codes(result)).toEqual(['signature-untrusted']);
  });

  it('names the file when any signed file has one byte flipped', () => {
    for (const [name, bytes] of bundle.files) {
      if (!name.startsWith('evidence/') && !name.startsWith('report.')) continue;
      const files = new Map(bundle.files).set(name, flipped(bytes));
      const result = verify(files);
      expect(result.ok, name).toBe(false);
      expect(result.problems.find((p) => p.code === 'hash-mismatch')?.file, name).toBe(name);
    }
  });

  it('refuses a flipped manifest or signature', () => {
    const manifest = bundle.files.get(BUNDLE_FILES.manifest) as Uint8Array;
    const badManifest = verify(
      new Map(bundle.files).set(BUNDLE_FILES.manifest, flipped(manifest, 3)),
    );
    expect(codes(badManifest)).toContain('signature-invalid');
    const sig = bundle.files.get(BUNDLE_FILES.signature) as Uint8Array;
    // Inside the base64 body, near the end where the Ed25519 signature sits.
    const text = Buffer.from(sig).toString('utf8');
    const at = text.lastIndexOf('\n-----END') - 5;
    const swapped = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const badSig = verify(new Map(bundle.files).set(BUNDLE_FILES.signature, Buffer.from(swapped)));
    expect(codes(badSig)).toEqual(['signature-invalid']);
    const noSig = new Map(bundle.files);
    noSig.delete(BUNDLE_FILES.signature);
    expect(codes(verify(noSig))).toEqual(['signature-missing']);
  });

  it('reports unlisted, missing and symlinked files', () => {
    const extra = new Map(bundle.files).set('evidence/extra.log', Buffer.from('x'));
    expect(codes(verify(extra))).toEqual(['unlisted-file']);
    const missing = new Map(bundle.files);
    missing.delete('evidence/amcheck.txt');
    expect(codes(verify(missing))).toEqual(['missing-file']);
    const withLink = verifyBundle(
      {
        location: 'mem',
        files: bundle.files,
        readProblems: [{ code: 'read-error', file: 'x', message: 'x: symlink' }],
      },
      { pinnedKeys: [agentPub] },
      nodeVerifyCrypto,
    );
    expect(codes(withLink)).toEqual(['read-error']);
  });

  it('refuses a report.json that names another signer than the key that signed', () => {
    // Re-seal the same payload with another key: every hash and the signature are fine, but
    // report.json still names the agent's key.
    const payload = new Map(
      [...bundle.files].filter(
        ([n]) =>
          n !== BUNDLE_FILES.manifest &&
          !n.endsWith('.sig') &&
          n !== BUNDLE_FILES.allowedSigners &&
          n !== BUNDLE_FILES.verifyText,
      ),
    );
    const resealed = sealBundle(
      'drill-1',
      payload,
      { sha256, sign: (m) => signSshsig(otherKey.privateKeyPem, Buffer.from(m), 'kumiko-report') },
      { role: 'agent', principal: 'mallory', publicKey: otherPub },
    );
    const result = verify(resealed.files, [otherPub]);
    expect(codes(result)).toEqual(['report-signer-mismatch']);
  });

  it('checks pinned keys per server when the caller knows them', () => {
    const trust = { pinnedKeys: [], serverKeys: { [SERVER_ID]: [otherPub] } };
    const result = verifyBundle({ location: 'mem', files: bundle.files }, trust, nodeVerifyCrypto);
    expect(codes(result)).toEqual(['signature-untrusted']);
    const right = { pinnedKeys: [], serverKeys: { [SERVER_ID]: [agentPub] } };
    expect(verifyBundle({ location: 'mem', files: bundle.files }, right, nodeVerifyCrypto).ok).toBe(
      true,
    );
  });

  it('verifies the app countersignature and refuses a broken one', () => {
    const appKey = generateEd25519KeyPair();
    const appPub = openSshPublicKeyLine(appKey.publicKey);
    const manifest = bundle.files.get(BUNDLE_FILES.manifest) as Uint8Array;
    const envelope = countersignedEnvelope(
      bundle.report,
      manifest,
      { role: 'app', principal: 'kumiko-app@desk', publicKey: appPub },
      (m) => signSshsig(appKey.privateKeyPem, Buffer.from(m), 'kumiko-report'),
    );
    const files = new Map([...bundle.files, ...envelope]);
    const result = verify(files, [agentPub, appPub]);
    expect(result.ok).toBe(true);
    expect(result.signatures.map((s) => [s.role, s.valid, s.trust, s.principal])).toEqual([
      ['primary', true, 'pinned', `kumiko-agent@${SERVER_ID}`],
      ['countersignature', true, 'pinned', 'kumiko-app@desk'],
    ]);
    expect(Buffer.from(files.get(BUNDLE_FILES.verifyText) as Uint8Array).toString()).toContain(
      '-I kumiko-app@desk -n kumiko-report -s MANIFEST.sha256.app.sig',
    );
    const appSig = envelope.get(BUNDLE_FILES.appSignature) as Uint8Array;
    const broken = new Map(files).set(
      BUNDLE_FILES.appSignature,
      flipped(appSig, appSig.length - 40),
    );
    expect(codes(verify(broken, [agentPub, appPub]))).toEqual(['countersignature-invalid']);
  });

  it('verifies a chain of three and detects the middle one removed', async () => {
    const second = await build('drill-2', bundle, 1);
    const third = await build('drill-3', second, 2);
    expect(second.files.has(BUNDLE_FILES.chain)).toBe(true);
    const inputs = [bundle, second, third].map((b, i) => ({ location: `b${i}`, files: b.files }));
    const whole = verifyBundles(inputs, { pinnedKeys: [agentPub] }, nodeVerifyCrypto, {
      requireFirstReport: true,
    });
    expect(whole.ok).toBe(true);
    expect(whole.chains).toMatchObject([
      { serverId: SERVER_ID, drillIds: ['drill-1', 'drill-2', 'drill-3'], ok: true },
    ]);
    // Given out of order, they are chained by sequence.
    expect(
      verifyBundles([...inputs].reverse(), { pinnedKeys: [agentPub] }, nodeVerifyCrypto).ok,
    ).toBe(true);
    const gap = verifyBundles(
      [inputs[0]!, inputs[2]!],
      { pinnedKeys: [agentPub] },
      nodeVerifyCrypto,
    );
    expect(gap.ok).toBe(false);
    expect(gap.status).toBe('invalid');
    // A broken chain stays invalid also where no key is trusted (never just 'untrusted-signer').
    const untrustedGap = verifyBundles(
      [inputs[0]!, inputs[2]!],
      { pinnedKeys: [] },
      nodeVerifyCrypto,
    );
    expect(untrustedGap.status).toBe('invalid');
    expect(verifyBundles(inputs, { pinnedKeys: [] }, nodeVerifyCrypto).status).toBe(
      'untrusted-signer',
    );
    expect(gap.bundles.every((b) => b.ok)).toBe(true);
    expect(gap.chains[0]?.problems.map((p) => p.code).sort()).toEqual([
      'chain-broken',
      'chain-sequence',
    ]);
  });

  it('refuses a chain link file that disagrees with report.json', async () => {
    const second = await build('drill-2', bundle, 1);
    const files = new Map(second.files);
    files.delete(BUNDLE_FILES.chain);
    expect(codes(verify(files))).toEqual(['chain-file-mismatch', 'missing-file']);
  });
});

describe('building a report refuses what must not be signed', () => {
  const base = () => ({
    result: sampleDrill(),
    evidence: new Map(
      Object.entries(sampleEvidence()).map(([k, v]) => [k, new Uint8Array(Buffer.from(v))]),
    ),
    previous: null,
    signer: { kind: 'agent' as const, principal: 'kumiko-agent@x', publicKey: agentPub },
    language: 'de+en' as const,
  });

  it('refuses key material and known secret values, naming the file but not the secret', () => {
    const withKey = base();
    withKey.evidence.set('restore.log', Buffer.from(agentKey.privateKeyPem));
    expect(() => buildReport(withKey)).toThrow(/evidence\/restore\.log \(a private key\)/);
    const withPass = base();
    withPass.evidence.set(
      'pgbackrest.log',
      Buffer.from('P00 INFO: repo1-cipher-pass=hunter2hunter2\n'),
    );
    expect(() => buildReport(withPass)).toThrow(/cipher passphrase/);
    const known = base();
    known.evidence.set('x.log', Buffer.from('the secret is s3cr3t-v4lue'));
    let message = '';
    try {
      buildReport({ ...known, knownSecrets: ['s3cr3t-v4lue'] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/x\.log \(a known secret value\)/);
    expect(message).not.toContain('s3cr3t');
    const redacted = base();
    redacted.evidence.set('y.log', Buffer.from('repo1-cipher-pass=***\n'));
    expect(() => buildReport(redacted)).not.toThrow();
  });

  it('refuses missing evidence, unsafe names and a self-contradicting result', () => {
    const missing = base();
    missing.evidence.delete('amcheck.txt');
    expect(() => buildReport(missing)).toThrow(ReportBundleError);
    const unsafe = base();
    unsafe.evidence.set('../x', new Uint8Array());
    expect(() => buildReport(unsafe)).toThrow(/unsafe evidence/);
    const contradicting = base();
    const drill = sampleDrill();
    drill.checks[1] = { ...drill.checks[1]!, passed: false };
    expect(() => buildReport({ ...contradicting, result: drill })).toThrow(
      /passed, but a check failed/,
    );
  });
});
