import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrillRunSummary } from '../../shared/agent/drill';
import { BUNDLE_FILES } from '../../shared/report/bundle-layout';
import { runCommand } from '../harness/processes';
import { startFaultEnv, type FaultEnv } from './fault-env';

// Fault 16: a drill report bundle is changed after the agent signed it (a failed drill made to
// look passed, an evidence file edited). The bundle is the real one a drill on the protected
// server under write load put into the bucket; `kumiko report verify` (a real process, pinned
// to the agent's key as the recovery kit gives it) and the auditor's stock tools,
// `ssh-keygen -Y verify` and `sha256sum -c`, accept it untouched and refuse every tampering.

const root = fileURLToPath(new URL('../..', import.meta.url));

let f: FaultEnv;
let genuine: string;
let principal: string;

beforeAll(async () => {
  f = await startFaultEnv();
  const run = await f.env.agent(['drill'], 600_000);
  const summary = DrillRunSummary.parse(JSON.parse(run.stdout));
  // Copy the bundle out of the bucket as an auditor downloads it.
  genuine = path.join(f.env.dir, 'bundle');
  const keys = f.env.keys(summary.bundlePrefix);
  expect(keys).toContain(`${summary.bundlePrefix}${BUNDLE_FILES.manifest}`);
  for (const key of keys) {
    const file = path.join(genuine, key.slice(summary.bundlePrefix.length));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.env.object(key));
  }
  principal = f.env.publicKeyLine.split(' ')[2] as string;
  // The auditor's own allowed_signers, from the key the recovery kit names, not the bundle's.
  fs.writeFileSync(
    path.join(f.env.dir, 'auditor_signers'),
    `${principal} ${f.env.publicKeyLine.split(' ').slice(0, 2).join(' ')}\n`,
  );
  fs.writeFileSync(path.join(f.env.dir, 'agent.pub'), `${f.env.publicKeyLine}\n`);
}, 600_000);

afterAll(async () => {
  await f?.stop();
});

async function kumikoVerify(bundle: string): Promise<{ code: number | null; out: string }> {
  const run = await runCommand(
    'node',
    ['bin/kumiko.mjs', 'report', 'verify', bundle, '--key', path.join(f.env.dir, 'agent.pub')],
    {
      cwd: root,
      env: {
        ...process.env,
        KUMIKO_FROM_SOURCE: '1',
        KUMIKO_DATA_DIR: path.join(f.env.dir, 'no-app-data'),
        KUMIKO_VAULT_PASSPHRASE: '',
      },
      check: false,
      timeoutMs: 60_000,
      name: 'kumiko report verify',
    },
  );
  return { code: run.code, out: run.stdout + run.stderr };
}

async function stockVerify(bundle: string): Promise<{ code: number | null; out: string }> {
  const signature = await runCommand(
    'ssh-keygen',
    [
      '-Y',
      'verify',
      '-f',
      path.join(f.env.dir, 'auditor_signers'),
      '-I',
      principal,
      '-n',
      'kumiko-report',
      '-s',
      BUNDLE_FILES.signature,
    ],
    {
      cwd: bundle,
      input: fs.readFileSync(path.join(bundle, BUNDLE_FILES.manifest)),
      check: false,
      name: 'ssh-keygen -Y verify',
    },
  );
  if (signature.code !== 0) return { code: signature.code, out: signature.stderr };
  const sums = await runCommand('sha256sum', ['--strict', '-c', BUNDLE_FILES.manifest], {
    cwd: bundle,
    check: false,
    name: 'sha256sum -c',
  });
  return { code: sums.code, out: sums.stdout + sums.stderr };
}

function tampered(name: string, change: (dir: string) => void): string {
  const copy = path.join(f.env.dir, `tampered-${name}`);
  fs.cpSync(genuine, copy, { recursive: true });
  change(copy);
  return copy;
}

describe('fault 16: a report bundle tampered with', () => {
  it('verifies untouched with kumiko and with the stock tools', async () => {
    const kumiko = await kumikoVerify(genuine);
    expect(kumiko.code, kumiko.out).toBe(0);
    expect(kumiko.out).toMatch(/^VALID/);
    const stock = await stockVerify(genuine);
    expect(stock.code, stock.out).toBe(0);
  });

  it('is refused by all three when the verdict, an evidence file or the signature changes', async () => {
    const reportJson = BUNDLE_FILES.reportJson;
    const cases: Record<string, (dir: string) => void> = {
      // The attack that matters: the drill's verdict flipped in the machine-readable report.
      verdict: (dir) => {
        const file = path.join(dir, reportJson);
        const text = fs.readFileSync(file, 'utf8');
        const flipped = /"passed":\s*true/.test(text)
          ? text.replace(/"passed":(\s*)true/, '"passed":$1false')
          : text.replace(/"passed":(\s*)false/, '"passed":$1true');
        expect(flipped).not.toBe(text);
        fs.writeFileSync(file, flipped);
      },
      evidence: (dir) => {
        const evidence = fs.readdirSync(path.join(dir, 'evidence'))[0] as string;
        fs.appendFileSync(path.join(dir, 'evidence', evidence), 'all checks passed\n');
      },
      // Re-hashed after the edit: only the signature can still tell.
      rehashed: (dir) => {
        const file = path.join(dir, BUNDLE_FILES.reportPdf);
        fs.appendFileSync(file, '\n%tampered\n');
        const manifest = path.join(dir, BUNDLE_FILES.manifest);
        const sum = crypto.createHash('sha256').update(fs.readFileSync(file));
        const lines = fs
          .readFileSync(manifest, 'utf8')
          .split('\n')
          .map((l) =>
            l.endsWith(`  ${BUNDLE_FILES.reportPdf}`)
              ? `${sum.digest('hex')}  ${BUNDLE_FILES.reportPdf}`
              : l,
          );
        fs.writeFileSync(manifest, lines.join('\n'));
      },
    };
    for (const [name, change] of Object.entries(cases)) {
      const copy = tampered(name, change);
      const kumiko = await kumikoVerify(copy);
      expect(kumiko.code, `${name}: ${kumiko.out}`).not.toBe(0);
      expect(kumiko.out, name).toMatch(/^INVALID/);
      const stock = await stockVerify(copy);
      expect(stock.code, `${name}: ${stock.out}`).not.toBe(0);
    }
  });
});
