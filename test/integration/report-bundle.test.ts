import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportBundle, type WrittenReportBundle } from '../../node/report/write-bundle';
import { generateEd25519KeyPair } from '../../node/signing';
import { main as kumikoMain } from '../../electron/cli/main';
import { AgentsRepo } from '../../electron/services/agent-install/agents-repo';
import { appPublicKey } from '../../electron/services/reports/app-signing-key';
import { ReportsService } from '../../electron/services/reports/reports-service';
import { openVault } from '../../electron/services/secrets/vault';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { ServersRepo } from '../../electron/services/store/servers-repo';
import { sha256 } from '../../node/report/node-crypto';
import { BUNDLE_FILES } from '../../shared/report/bundle-layout';
import { keyFingerprint } from '../../shared/report/keys';
import type { DrillReportEntry, ReportVerification } from '../../shared/contract';
import type { DrillResult } from '../../shared/report/drill-result';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { runCommand, stopAll } from '../harness';
import { sampleDrill, sampleEvidence, SERVER_ID } from '../unit/report-fixtures';

// The signed drill report bundle against the stock tools an auditor has: OpenSSH's
// `ssh-keygen -Y verify`, coreutils' `sha256sum -c`, poppler's pdftotext/pdftoppm, unzip; and
// `kumiko report verify` as a real process. Then the app's archive and evidence export.

const root = fileURLToPath(new URL('../..', import.meta.url));
const PASSPHRASE = 'report-bundle-test-passphrase';
const agentKey = generateEd25519KeyPair();
const principal = `kumiko-agent@${SERVER_ID}`;
const agentLine = openSshPublicKeyLine(agentKey.publicKey, principal);
let dir: string;
/** An auditor's computer: no app data folder there (so no pinned keys), no vault. */
let noAppData: string;
const savedDataDir = process.env.KUMIKO_DATA_DIR;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-report-'));
  noAppData = path.join(dir, 'no-app-data');
  // In-process `kumiko` calls must not read the developer's own data folder either.
  process.env.KUMIKO_DATA_DIR = noAppData;
});

afterAll(async () => {
  if (savedDataDir === undefined) delete process.env.KUMIKO_DATA_DIR;
  else process.env.KUMIKO_DATA_DIR = savedDataDir;
  fs.rmSync(dir, { recursive: true, force: true });
  await stopAll();
});

/** One quarterly drill: distinct ids and dates, else the sample. */
function drill(n: number, overrides: Partial<DrillResult> = {}): DrillResult {
  const month = String(1 + 3 * (n - 1)).padStart(2, '0');
  return sampleDrill(`drill-2025-${month}`, {
    startedAt: `2025-${month}-15T02:30:00.000Z`,
    finishedAt: `2025-${month}-15T02:34:31.000Z`,
    newestRestorableAt: `2025-${month}-15T02:29:13.000Z`,
    ...overrides,
  });
}

/** Writes a chain of `count` bundles side by side in `parent`. */
async function writeChain(parent: string, count: number): Promise<WrittenReportBundle[]> {
  const out: WrittenReportBundle[] = [];
  for (let n = 1; n <= count; n++) {
    const previous = out[n - 2];
    const result = drill(n);
    out.push(
      await writeReportBundle(path.join(parent, result.drillId), {
        result,
        evidence: sampleEvidence(),
        previous: previous
          ? {
              drillId: previous.report.drill.drillId,
              manifestSha256: previous.manifestSha256,
              sequence: previous.report.chain.sequence,
            }
          : null,
        privateKeyPem: agentKey.privateKeyPem,
      }),
    );
  }
  return out;
}

/**
 * `kumiko …` as a real process from the sources; by default on an auditor's computer (no app
 * data folder, no vault passphrase) unless `--data-dir` or `env` say otherwise.
 */
async function kumiko(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runCommand('node', ['bin/kumiko.mjs', ...args], {
    cwd: root,
    env: {
      ...process.env,
      KUMIKO_FROM_SOURCE: '1',
      KUMIKO_DATA_DIR: noAppData,
      KUMIKO_VAULT_PASSPHRASE: '',
      ...env,
    },
    check: false,
    timeoutMs: 60_000,
    name: `kumiko ${args.slice(0, 2).join(' ')}`,
  });
  return { code: result.code, out: result.stdout + result.stderr };
}

/** bash -c `command` in `cwd`, with the auditor's home folder. */
async function bash(command: string, cwd: string, home: string) {
  const result = await runCommand('bash', ['-c', command], {
    cwd,
    env: { ...process.env, HOME: home },
    check: false,
    name: 'VERIFY.txt',
  });
  return { code: result.code, out: result.stdout + result.stderr };
}

/** A fresh auditor's home folder (where VERIFY.txt has them keep ~/kumiko-allowed_signers). */
function auditorHome(): string {
  return fs.mkdtempSync(path.join(dir, 'auditor-'));
}

/** The fingerprint an auditor reads in the recovery kit, of a key they trust. */
const kitFingerprint = (keyLine: string) => keyFingerprint(keyLine, sha256);

/**
 * The stock-tool check, literally as VERIFY.txt says, run by bash in the bundle: show the
 * fingerprints of the bundle's keys and stop unless each equals one from the recovery kit
 * (`trusted`); add the signers to the auditor's own ~/kumiko-allowed_signers; then run the
 * first line. Code -1 when a fingerprint differs (the auditor stops there).
 */
async function stockVerify(
  bundleDir: string,
  trusted: readonly string[] = [agentLine],
  home = auditorHome(),
) {
  const lines = fs.readFileSync(path.join(bundleDir, BUNDLE_FILES.verifyText), 'utf8').split('\n');
  const fingerprints = await bash(
    (lines.find((l) => l.includes('| ssh-keygen -lf -')) as string).trim(),
    bundleDir,
    home,
  );
  const shown = fingerprints.out.match(/SHA256:[A-Za-z0-9+/]+/g) ?? [];
  const kit = trusted.map(kitFingerprint);
  if (shown.length === 0 || !shown.every((f) => kit.includes(f))) {
    return {
      code: -1,
      out: `fingerprints ${shown.join(', ')} are not the kit's ${kit.join(', ')}`,
    };
  }
  for (const add of lines.filter((l) => l.trim().startsWith(`awk '$1 == `))) {
    expect((await bash(add.trim(), bundleDir, home)).code).toBe(0);
  }
  return bash(lines[0] as string, bundleDir, home);
}

function flipByte(file: string, at?: number): void {
  const bytes = fs.readFileSync(file);
  const i = at ?? Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] as number) ^ 0x01;
  fs.writeFileSync(file, bytes);
}

describe('drill report bundle with stock tools', () => {
  let bundleDir: string;
  let bundle: WrittenReportBundle;

  beforeAll(async () => {
    [bundle] = (await writeChain(path.join(dir, 'single'), 1)) as [WrittenReportBundle];
    bundleDir = bundle.directory;
  });

  it('verifies with ssh-keygen -Y verify and sha256sum -c, as VERIFY.txt says', async () => {
    const verifyText = fs.readFileSync(path.join(bundleDir, 'VERIFY.txt'), 'utf8');
    expect(verifyText.split('\n')[0]).toBe(
      `ssh-keygen -Y verify -f ~/kumiko-allowed_signers -I ${principal} -n kumiko-report -s MANIFEST.sha256.sig < MANIFEST.sha256 && sha256sum -c MANIFEST.sha256`,
    );
    // It never has the auditor trust the key file shipped in the bundle: the key is checked
    // against the recovery kit's fingerprint first.
    expect(verifyText).toContain('allowed_signers in this folder proves nothing on its own');
    expect(verifyText).toContain("the fingerprint printed in the server's recovery kit");
    expect(verifyText).not.toMatch(/-f allowed_signers/);
    const signature = await runCommand(
      'ssh-keygen',
      [
        '-Y',
        'verify',
        '-f',
        'allowed_signers',
        '-I',
        principal,
        '-n',
        'kumiko-report',
        '-s',
        'MANIFEST.sha256.sig',
      ],
      {
        cwd: bundleDir,
        input: fs.readFileSync(path.join(bundleDir, 'MANIFEST.sha256')),
        name: 'ssh-keygen -Y verify',
      },
    );
    expect(signature.stdout + signature.stderr).toContain(
      `Good "kumiko-report" signature for ${principal}`,
    );
    const sums = await runCommand('sha256sum', ['-c', 'MANIFEST.sha256'], {
      cwd: bundleDir,
      name: 'sha256sum -c',
    });
    const manifestLines = fs
      .readFileSync(path.join(bundleDir, 'MANIFEST.sha256'), 'utf8')
      .trim()
      .split('\n');
    expect(sums.stdout.trim().split('\n')).toHaveLength(manifestLines.length);
    expect(sums.stdout).toContain('report.pdf: OK');
    expect(sums.stdout).toContain('evidence/amcheck.txt: OK');
    // Every file but the envelope is listed.
    const listed = manifestLines.map((l) => l.slice(66)).sort();
    const all = fs
      .readdirSync(bundleDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(bundleDir, path.join(e.parentPath, e.name)))
      .filter(
        (f) =>
          !['MANIFEST.sha256', 'MANIFEST.sha256.sig', 'allowed_signers', 'VERIFY.txt'].includes(f),
      )
      .sort();
    expect(listed).toEqual(all);
    expect((await stockVerify(bundleDir)).code).toBe(0);
  });

  it('has a PDF whose text holds the verdict, RTO, RPO and every check', async () => {
    const text = (
      await runCommand('pdftotext', ['-layout', path.join(bundleDir, 'report.pdf'), '-'], {
        name: 'pdftotext',
      })
    ).stdout;
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('BESTANDEN / PASSED');
    expect(flat).toContain('RTO (Start bis verifiziert)');
    expect(flat).toContain('252 s (4 min 12 s)');
    expect(flat).toContain('RPO (Alter des neuesten Zeitpunkts)');
    expect(flat).toContain('47 s');
    // Each check under its German heading and its signed English title (a long heading wraps
    // beside the status column, which -layout puts between its words).
    const headings = flat.replaceAll(' OK / PASS', '');
    for (const check of bundle.report.drill.checks)
      expect(headings, check.id).toContain(check.title);
    expect(headings).toContain('Wiederhergestellter Cluster startet und nimmt Verbindungen an /');
    for (const control of [
      'ISO/IEC 27001:2022 A.8.13',
      'SOC 2 (TSC) A1.2',
      'SOC 2 (TSC) A1.3',
      'CON.3.A15',
    ]) {
      expect(flat).toContain(control);
    }
    const info = (
      await runCommand('pdfinfo', [path.join(bundleDir, 'report.pdf')], { name: 'pdfinfo' })
    ).stdout;
    expect(info).toMatch(/CreationDate:\s+Tue Jan 14 .*2025|CreationDate:\s+Wed Jan 15 .*2025/);
    const shots = path.join(root, 'test-results');
    fs.mkdirSync(shots, { recursive: true });
    await runCommand(
      'pdftoppm',
      [
        '-png',
        '-r',
        '60',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        path.join(bundleDir, 'report.pdf'),
        path.join(shots, 'report-bundle-page1'),
      ],
      { name: 'pdftoppm' },
    );
    expect(fs.statSync(path.join(shots, 'report-bundle-page1.png')).size).toBeGreaterThan(5_000);
  });

  it('passes `kumiko report verify` (a real process), pinned to the agent key', async () => {
    const keyFile = path.join(dir, 'agent.pub');
    fs.writeFileSync(keyFile, `${agentLine}\n`);
    const run = await kumiko(['report', 'verify', bundleDir, '--key', keyFile]);
    expect(run.out).toMatch(/^VALID .*1 bundle, keys pinned/);
    expect(run.code).toBe(0);
    // Without a trusted key, the bundle's own allowed_signers proves nothing: exit 4.
    const json = await kumiko(['report', 'verify', bundleDir, '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: false,
      status: 'untrusted-signer',
      trust: 'bundle',
      bundles: [{ drillId: 'drill-2025-01', ok: false, signerTrusted: false }],
    });
    const stranger = openSshPublicKeyLine(generateEd25519KeyPair().publicKey);
    const wrongKey = await kumiko(['report', 'verify', bundleDir, '--key', stranger]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toContain('signature-untrusted');
  });

  it('fails everywhere when one byte of any signed file, the manifest or the signature changes', async () => {
    const signed = fs
      .readFileSync(path.join(bundleDir, 'MANIFEST.sha256'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    const targets = [...signed, 'MANIFEST.sha256', 'MANIFEST.sha256.sig'];
    expect(targets.filter((t) => t.startsWith('evidence/'))).toHaveLength(
      Object.keys(sampleEvidence()).length,
    );
    for (const target of targets) {
      const copy = path.join(dir, 'tamper', target.replace(/\//g, '_'));
      fs.cpSync(bundleDir, copy, { recursive: true });
      const file = path.join(copy, target);
      if (target === 'MANIFEST.sha256')
        flipByte(file, 3); // a hex digit of the first hash
      else if (target === 'MANIFEST.sha256.sig') {
        // A base64 character inside the Ed25519 signature at the end of the blob.
        const text = fs.readFileSync(file, 'utf8');
        const at = text.lastIndexOf('\n-----END') - 5;
        fs.writeFileSync(
          file,
          text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1),
        );
      } else flipByte(file);
      expect(await kumikoMain(['report', 'verify', copy, '--key', agentLine]), target).toBe(1);
      expect(await kumikoMain(['report', 'verify', copy]), target).toBe(1);
      const stock = await stockVerify(copy);
      expect(stock.code, `${target}: ${stock.out}`).not.toBe(0);
    }
    // The real process, for one evidence file.
    const run = await kumiko([
      'report',
      'verify',
      path.join(dir, 'tamper', 'evidence_amcheck.txt'),
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^INVALID/);
    expect(run.out).toContain('hash-mismatch: evidence/amcheck.txt does not match');
  });
});

describe('report chain', () => {
  it('detects a report removed from a chain of three, with kumiko and with sha256sum', async () => {
    const parent = path.join(dir, 'chain');
    const [, second, third] = (await writeChain(parent, 3)) as WrittenReportBundle[];
    const keyFile = path.join(dir, 'chain-allowed_signers');
    fs.copyFileSync(path.join(third!.directory, 'allowed_signers'), keyFile);
    const whole = await kumiko(['report', 'verify', parent, '--key', keyFile, '--require-first']);
    expect(whole.out).toContain('3 reports from the first report: intact');
    expect(whole.code).toBe(0);
    const link = await runCommand('sha256sum', ['-c', 'chain/previous-manifest.sha256'], {
      cwd: third!.directory,
      name: 'sha256sum -c chain',
    });
    expect(link.stdout).toContain(`../${second!.report.drill.drillId}/MANIFEST.sha256: OK`);

    fs.rmSync(second!.directory, { recursive: true });
    const broken = await kumiko(['report', 'verify', parent, '--key', keyFile]);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('BROKEN');
    expect(broken.out).toContain('chain-broken: report #3 (drill-2025-07) names drill-2025-04');
    const stock = await runCommand('sha256sum', ['-c', 'chain/previous-manifest.sha256'], {
      cwd: third!.directory,
      check: false,
      name: 'sha256sum -c chain',
    });
    expect(stock.code).not.toBe(0);
    // Each remaining bundle is still valid on its own: only the chain shows the removal.
    expect((await stockVerify(third!.directory)).code).toBe(0);
  });
});

describe('archive and evidence export', () => {
  let dataDir: string;
  let db: Db;
  let bundles: WrittenReportBundle[];
  let zipFile: string;
  let keysFile: string;

  /** The app's report archive in `dataDir`, over `store`, in this process. */
  async function openReports(store: Db) {
    const secrets = await openVault(path.join(dataDir, 'secrets.vault'), PASSPHRASE);
    const servers = new ServersRepo(store);
    const agents = new AgentsRepo(store);
    const reports = new ReportsService({
      db: store,
      dataDir,
      agent: { installed: (id) => agents.get(id) },
      servers: {
        get: (id) =>
          servers.get(id) ??
          (() => {
            throw new Error('no server');
          })(),
      },
      secrets,
      appVersion: '0.1.0',
    });
    return { reports, secrets };
  }

  /** A contract command through `kumiko call` (a real process), as its Result's value. */
  async function call<T>(name: string, input: unknown): Promise<T> {
    const env = { KUMIKO_VAULT_PASSPHRASE: PASSPHRASE };
    const run = await kumiko(
      ['call', name, JSON.stringify(input), '--json', '--data-dir', dataDir],
      env,
    );
    expect(run.code, run.out).toBe(0);
    return (JSON.parse(run.out.slice(run.out.indexOf('{'))) as { value: T }).value;
  }

  beforeAll(async () => {
    dataDir = path.join(dir, 'data');
    bundles = await writeChain(path.join(dir, 'from-agent'), 3);
    db = openDatabase(dataDir);
    new ServersRepo(db).insert({
      id: SERVER_ID,
      name: 'erp-db-01',
      host: '127.0.0.1',
      port: 22,
      user: 'kumiko',
      authKind: 'generate',
      publicKey: null,
    });
    const agents = new AgentsRepo(db);
    agents.save({
      serverId: SERVER_ID,
      version: '0.1.0',
      stanza: 'main',
      dataDirectory: '/var/lib/postgresql/15/main',
      scheduler: 'systemd',
      publicKey: openSshPublicKeyLine(agentKey.publicKey, principal),
      settings: {},
      installedAt: '2025-01-01T00:00:00.000Z',
    });
    const { reports, secrets } = await openReports(db);
    // Out of order is refused: the archive stays an unbroken chain.
    await expect(reports.archive(bundles[1]!.directory)).resolves.toBeTruthy();
    await expect(reports.archive(bundles[0]!.directory)).rejects.toThrow(/does not follow/);
    db.exec('DELETE FROM drill_reports');
    fs.rmSync(path.join(dataDir, 'reports'), { recursive: true });
    for (const b of bundles) await reports.archive(b.directory);
    await expect(reports.archive(bundles[2]!.directory)).rejects.toThrow(/already archived/);
    const countersigned = await reports.countersign(SERVER_ID, bundles[1]!.report.drill.drillId);
    expect(countersigned.countersigned).toBe(true);
    keysFile = path.join(dir, 'auditor-keys');
    fs.writeFileSync(
      keysFile,
      `${openSshPublicKeyLine(agentKey.publicKey)}\n${await appPublicKey(secrets)}\n`,
    );
    db.close();
  });

  it('lists the archive and exports a period as one zip that verifies', async () => {
    const env = { KUMIKO_VAULT_PASSPHRASE: PASSPHRASE };
    const list = await kumiko(
      ['report', 'list', '--server', SERVER_ID, '--json', '--data-dir', dataDir],
      env,
    );
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.out.slice(list.out.indexOf('{'))) as {
      value: { drillId: string; countersigned: boolean }[];
    };
    expect(listed.value.map((r) => [r.drillId, r.countersigned])).toEqual([
      ['drill-2025-07', false],
      ['drill-2025-04', true],
      ['drill-2025-01', false],
    ]);

    zipFile = path.join(dir, 'q2-q3.zip');
    const exported = await kumiko(
      [
        'report',
        'export',
        '--server',
        SERVER_ID,
        '--from',
        '2025-04-01',
        '--to',
        '2025-09-30',
        '--out',
        zipFile,
        '--lang',
        'de',
        '--data-dir',
        dataDir,
      ],
      env,
    );
    expect(exported.code, exported.out).toBe(0);
    expect(exported.out).toContain('"reports": 2');
    await runCommand('unzip', ['-t', zipFile], { name: 'unzip -t' });
    // --lang de: each report's PDF in German alone, beside the zip (the bundles stay as signed),
    // saying it was made from the signed report.json; a report signed before the check words
    // shows its stored English detail, marked.
    const copies = path.join(dir, 'q2-q3-de');
    expect(fs.readdirSync(copies).sort()).toEqual(['drill-2025-04.pdf', 'drill-2025-07.pdf']);
    const copy = (
      await runCommand('pdftotext', [path.join(copies, 'drill-2025-07.pdf'), '-'], {
        name: 'pdftotext',
      })
    ).stdout.replace(/\s+/g, ' ');
    expect(copy).toContain('Lesefassung auf Deutsch, erzeugt aus dem signierten report.json');
    expect(copy).toContain('Prüfungen im Einzelnen');
    expect(copy).toContain('Wortlaut des Berichts (englisch');
    expect(copy).not.toContain('Checks in detail');

    const verified = await kumiko(['report', 'verify', zipFile, '--key', keysFile]);
    expect(verified.out).toMatch(/^VALID .*2 bundles, keys pinned/);
    expect(verified.out).toContain('countersigned by kumiko-app@');
    expect(verified.out).toContain('2 reports from drill-2025-01 (before this set): intact');
    expect(verified.code).toBe(0);

    const unpacked = path.join(dir, 'unpacked');
    await runCommand('unzip', ['-q', zipFile, '-d', unpacked], { name: 'unzip' });
    const [top] = fs.readdirSync(unpacked);
    const exportRoot = path.join(unpacked, top as string);
    expect(fs.readdirSync(exportRoot).sort()).toEqual([
      'SUMMARY.txt',
      'drill-2025-04',
      'drill-2025-07',
      'summary.json',
    ]);
    expect(fs.readFileSync(path.join(exportRoot, 'SUMMARY.txt'), 'utf8')).toContain(
      'Drills / Tests: 2, passed / bestanden: 2',
    );
    const auditorKeys = fs.readFileSync(keysFile, 'utf8').trim().split('\n');
    for (const id of ['drill-2025-04', 'drill-2025-07']) {
      expect((await stockVerify(path.join(exportRoot, id), auditorKeys)).code, id).toBe(0);
    }
    const link = await runCommand('sha256sum', ['-c', 'chain/previous-manifest.sha256'], {
      cwd: path.join(exportRoot, 'drill-2025-07'),
      name: 'chain link',
    });
    expect(link.stdout).toContain('OK');
    // The countersignature verifies with stock OpenSSH too, as VERIFY.txt says.
    const countersigned = path.join(exportRoot, 'drill-2025-04');
    const home = auditorHome();
    expect((await stockVerify(countersigned, auditorKeys, home)).code).toBe(0);
    const command = fs
      .readFileSync(path.join(countersigned, 'VERIFY.txt'), 'utf8')
      .split('\n')
      .find((l) => l.includes('-s MANIFEST.sha256.app.sig')) as string;
    expect(command).toMatch(/^ssh-keygen -Y verify -f ~\/kumiko-allowed_signers -I kumiko-app@/);
    const counter = await bash(command, countersigned, home);
    expect(counter.out).toContain('Good "kumiko-report" signature');
  });

  it('verifies through the contract with the keys the app pinned (agent at install, its own)', async () => {
    const env = { KUMIKO_VAULT_PASSPHRASE: PASSPHRASE };
    const run = await kumiko(
      [
        'call',
        'reports.verify',
        JSON.stringify({ path: zipFile }),
        '--json',
        '--data-dir',
        dataDir,
      ],
      env,
    );
    expect(run.code, run.out).toBe(0);
    const result = JSON.parse(run.out.slice(run.out.indexOf('{'))) as {
      ok: boolean;
      value: { ok: boolean; trust: string };
    };
    expect(result.value).toMatchObject({ ok: true, trust: 'pinned' });
  });

  it('detects a bundle deleted from the export zip with the zip tool', async () => {
    const cut = path.join(dir, 'cut.zip');
    fs.copyFileSync(zipFile, cut);
    const entries = (await runCommand('unzip', ['-Z1', cut], { name: 'unzip -Z1' })).stdout.split(
      '\n',
    );
    const victims = entries.filter((e) => e.includes('/drill-2025-04/'));
    await runCommand('zip', ['-q', '-d', cut, ...victims], { name: 'zip -d' });
    const run = await kumiko(['report', 'verify', cut, '--key', keysFile]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('the summary lists report drill-2025-04 (#2), which is missing');
    expect(run.out).toContain("the first report does not chain to the summary's anchor");
  });

  it('countersigns an agent report through the contract, once, without changing a signed byte', async () => {
    const first = bundles[0]!;
    const drillId = first.report.drill.drillId;
    const entry = await call<DrillReportEntry>('reports.countersign', {
      serverId: SERVER_ID,
      drillId,
    });
    expect(entry).toMatchObject({ drillId, signer: 'agent', countersigned: true });
    expect(entry.manifestSha256).toBe(first.manifestSha256);

    const verified = await call<ReportVerification>('reports.verify', { path: entry.bundlePath });
    expect(verified).toMatchObject({ ok: true, trust: 'pinned' });
    expect(verified.bundles[0]?.signatures).toEqual([
      expect.objectContaining({ role: 'primary', valid: true, trust: 'pinned', principal }),
      expect.objectContaining({
        role: 'countersignature',
        valid: true,
        trust: 'pinned',
        principal: expect.stringMatching(/^kumiko-app@/),
      }),
    ]);
    // The agent's signature still verifies with stock OpenSSH, as VERIFY.txt says.
    const auditorKeys = fs.readFileSync(keysFile, 'utf8').trim().split('\n');
    expect((await stockVerify(entry.bundlePath, auditorKeys)).code).toBe(0);

    const again = await kumiko(
      ['report', 'countersign', SERVER_ID, drillId, '--data-dir', dataDir],
      { KUMIKO_VAULT_PASSPHRASE: PASSPHRASE },
    );
    expect(again.code).toBe(6); // refused (CONFLICT): electron/cli/exit-codes.ts
    expect(again.out).toContain(
      `error CONFLICT: Report ${drillId} is already countersigned by this app.`,
    );
  });

  it('refuses to countersign a report the app signed itself', async () => {
    const appDb = openDatabase(dataDir);
    try {
      const { reports } = await openReports(appDb);
      const own = await reports.createAppReport(
        drill(4, { signer: 'app', software: { app: '0.1.0', agent: null } }),
        sampleEvidence(),
      );
      await expect(reports.countersign(SERVER_ID, own.drillId)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('signed by this app already'),
      });
      expect(reports.list({ serverId: SERVER_ID })[0]).toMatchObject({
        drillId: own.drillId,
        countersigned: false,
      });
    } finally {
      appDb.close();
    }
  });

  describe('a forged report (FAILED made PASSED, re-hashed, re-signed, key file replaced)', () => {
    let genuine: string;
    let forged: string;
    let forgerLine: string;
    let agentKeyFile: string;
    const withVault = { KUMIKO_VAULT_PASSPHRASE: PASSPHRASE };

    /**
     * What the forger did, with stock tools: report.json's verdict (and its signer) rewritten,
     * MANIFEST.sha256 re-hashed with sha256sum, re-signed by the forger's own Ed25519 key with
     * ssh-keygen -Y sign, allowed_signers replaced by one naming that key for the same principal.
     */
    async function forge(from: string, to: string): Promise<void> {
      fs.cpSync(from, to, { recursive: true });
      const reportFile = path.join(to, BUNDLE_FILES.reportJson);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
        drill: { passed: boolean; rtoSeconds: number | null; checks: { passed: boolean }[] };
        signer: { publicKey: string };
      };
      expect(report.drill.passed).toBe(false);
      report.drill.passed = true;
      report.drill.rtoSeconds = 252;
      for (const check of report.drill.checks) check.passed = true;
      report.signer.publicKey = forgerLine;
      fs.writeFileSync(reportFile, JSON.stringify(report));
      const rehash =
        "sha256sum $(awk '{print $2}' MANIFEST.sha256) > ../forged.sha256 && mv ../forged.sha256 MANIFEST.sha256";
      expect((await bash(rehash, to, dir)).code).toBe(0);
      fs.rmSync(path.join(to, BUNDLE_FILES.signature));
      await runCommand(
        'ssh-keygen',
        ['-Y', 'sign', '-f', path.join(dir, 'forger'), '-n', 'kumiko-report', 'MANIFEST.sha256'],
        { cwd: to, name: 'ssh-keygen -Y sign' },
      );
      fs.writeFileSync(
        path.join(to, BUNDLE_FILES.allowedSigners),
        `${principal} namespaces="kumiko-report" ${forgerLine}\n`,
      );
    }

    beforeAll(async () => {
      await runCommand(
        'ssh-keygen',
        ['-q', '-t', 'ed25519', '-N', '', '-C', 'mallory', '-f', path.join(dir, 'forger')],
        { name: 'ssh-keygen -t ed25519' },
      );
      forgerLine = fs
        .readFileSync(path.join(dir, 'forger.pub'), 'utf8')
        .split(' ')
        .slice(0, 2)
        .join(' ');
      const failed = drill(4, { passed: false, rtoSeconds: null });
      failed.checks[1] = { ...failed.checks[1]!, passed: false, detail: '1 corrupt relation.' };
      const written = await writeReportBundle(path.join(dir, 'forgery', 'genuine'), {
        result: failed,
        evidence: sampleEvidence(),
        previous: null,
        privateKeyPem: agentKey.privateKeyPem,
      });
      genuine = written.directory;
      forged = path.join(dir, 'forgery', 'forged');
      await forge(genuine, forged);
      agentKeyFile = path.join(dir, 'forgery', 'agent.pub');
      fs.writeFileSync(agentKeyFile, `${agentLine}\n`);
      // The forgery is consistent in itself: stock tools given its own key file accept it.
      const ownFile = await runCommand(
        'ssh-keygen',
        [
          '-Y',
          'verify',
          '-f',
          'allowed_signers',
          '-I',
          principal,
          '-n',
          'kumiko-report',
          '-s',
          'MANIFEST.sha256.sig',
        ],
        {
          cwd: forged,
          input: fs.readFileSync(path.join(forged, 'MANIFEST.sha256')),
          check: false,
          name: 'ssh-keygen -Y verify',
        },
      );
      expect(ownFile.stdout + ownFile.stderr).toContain('Good "kumiko-report" signature');
      expect((await bash('sha256sum -c MANIFEST.sha256', forged, dir)).code).toBe(0);
    });

    it('is refused by `kumiko report verify` with and without --key where the app pinned the agent key', async () => {
      const verify = (args: string[], env: NodeJS.ProcessEnv = withVault) =>
        kumiko(['report', 'verify', forged, '--data-dir', dataDir, ...args], env);
      const pinned = await verify([]);
      expect(pinned.code, pinned.out).toBe(1);
      expect(pinned.out).toMatch(/^INVALID /);
      expect(pinned.out).toContain('trusted keys: agent keys pinned at install');
      expect(pinned.out).toContain("the app's own report key");
      expect(pinned.out).toContain('x signature-untrusted: MANIFEST.sha256.sig is signed by');
      expect(pinned.out).toContain('which is not a pinned key');
      // Agent keys are public: the SQLite store alone pins them, with the vault locked.
      const locked = await verify([], {});
      expect(locked.code, locked.out).toBe(1);
      expect(locked.out).toContain('the vault is locked');
      expect(locked.out).toContain('signature-untrusted');
      // --key cannot talk the app out of its pin: not the bundle's own key file, not the real key.
      for (const key of [path.join(forged, 'allowed_signers'), agentKeyFile]) {
        const run = await verify(['--key', key]);
        expect(run.code, `${key}: ${run.out}`).toBe(1);
        expect(run.out).toContain('signature-untrusted');
      }
      // An auditor without the app, with the key checked against the recovery kit.
      const auditor = await kumiko(['report', 'verify', forged, '--key', agentKeyFile]);
      expect(auditor.code, auditor.out).toBe(1);
      expect(auditor.out).toMatch(/^INVALID /);
      // With no trusted key at all: signature valid, signer not trusted, exit 4.
      const alone = await kumiko(['report', 'verify', forged]);
      expect(alone.code, alone.out).toBe(4);
      expect(alone.out).toMatch(
        /^SIGNER NOT TRUSTED .*signatures valid, but no trusted key matches the signer/,
      );
      expect(alone.out).toContain(
        'x signer-not-trusted: MANIFEST.sha256.sig is a valid signature by',
      );
      expect(alone.out).toContain(kitFingerprint(forgerLine));
      expect(alone.out).toContain('next: ');
      const json = await kumiko(['report', 'verify', forged, '--json']);
      expect(json.code).toBe(4);
      expect(JSON.parse(json.out)).toMatchObject({
        ok: false,
        status: 'untrusted-signer',
        bundles: [
          { passed: true, signerTrusted: false, problems: [{ code: 'signer-not-trusted' }] },
        ],
      });
    });

    it('leaves the untouched report valid with the pinned key and with --key, untrusted with neither', async () => {
      const app = await kumiko(['report', 'verify', genuine, '--data-dir', dataDir], withVault);
      expect(app.code, app.out).toBe(0);
      expect(app.out).toMatch(/^VALID .*1 bundle, keys pinned/);
      expect(app.out).toContain('#1 drill-2025-10  FAILED');
      const locked = await kumiko(['report', 'verify', genuine, '--data-dir', dataDir], {});
      expect(locked.code, locked.out).toBe(0);
      const auditor = await kumiko(['report', 'verify', genuine, '--key', agentKeyFile]);
      expect(auditor.code, auditor.out).toBe(0);
      const alone = await kumiko(['report', 'verify', genuine]);
      expect(alone.code, alone.out).toBe(4);
      expect(alone.out).toMatch(/^SIGNER NOT TRUSTED /);
    });

    it('is refused by stock tools following VERIFY.txt with the key checked against the kit', async () => {
      expect((await stockVerify(genuine)).code).toBe(0);
      // The forged bundle's key is not the one in the recovery kit: the auditor stops there.
      const forgedCheck = await stockVerify(forged);
      expect(forgedCheck.code, forgedCheck.out).toBe(-1);
      expect(forgedCheck.out).toContain(kitFingerprint(forgerLine));
      // An auditor whose ~/kumiko-allowed_signers already holds the real key: the command fails.
      const home = auditorHome();
      expect((await stockVerify(genuine, [agentLine], home)).code).toBe(0);
      const command = fs.readFileSync(path.join(genuine, 'VERIFY.txt'), 'utf8').split('\n')[0]!;
      const run = await bash(command, forged, home);
      expect(run.code, run.out).not.toBe(0);
      expect(run.out).not.toContain('Good "kumiko-report" signature');
    });

    it('gets the same answers from reports.verify through the app core', async () => {
      const pinned = await call<ReportVerification>('reports.verify', { path: forged });
      expect(pinned).toMatchObject({ ok: false, status: 'invalid', trust: 'bundle' });
      expect(pinned.bundles[0]?.problems.map((p) => p.code)).toEqual(['signature-untrusted']);
      const withKeys = await call<ReportVerification>('reports.verify', {
        path: forged,
        keys: fs.readFileSync(path.join(forged, 'allowed_signers'), 'utf8'),
      });
      expect(withKeys).toMatchObject({ ok: false, status: 'invalid' });
      expect(await call<ReportVerification>('reports.verify', { path: genuine })).toMatchObject({
        ok: true,
        status: 'valid',
        trust: 'pinned',
      });
      // An app that pinned no key for this server: signer not trusted, unless given the key.
      const other = path.join(dir, 'other-app');
      const otherCall = async (input: unknown) => {
        const run = await kumiko(
          ['call', 'reports.verify', JSON.stringify(input), '--json', '--data-dir', other],
          withVault,
        );
        expect(run.code, run.out).toBe(0);
        return (JSON.parse(run.out.slice(run.out.indexOf('{'))) as { value: ReportVerification })
          .value;
      };
      for (const target of [forged, genuine]) {
        expect(await otherCall({ path: target }), target).toMatchObject({
          ok: false,
          status: 'untrusted-signer',
          bundles: [{ signerTrusted: false }],
        });
      }
      expect(await otherCall({ path: forged, keys: agentLine })).toMatchObject({
        status: 'invalid',
      });
      expect(await otherCall({ path: genuine, keys: agentLine })).toMatchObject({
        status: 'valid',
      });
    });
  });
});
