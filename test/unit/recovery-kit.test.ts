import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kitSections, type KitInput } from '../../electron/services/recovery-kit/kit-content';
import { renderKitPdf } from '../../electron/services/recovery-kit/kit-pdf';
import { KIT_RESTORE_HEADINGS } from '../../electron/services/recovery-kit/kit-restore';
import { renderKitText } from '../../electron/services/recovery-kit/kit-text';
import { restoreDefaults } from '../../electron/services/recovery-kit/recovery-kit-service';

// The kit's content and layout without a server: the longest values a real kit can carry
// (an AWS endpoint, a 63-character bucket with dashes, base64url passphrases full of '-' and
// '_', a secret key with '/' and '+') come out of the PDF (pdftotext) on one line each, and
// its shell steps parse. test/integration/recovery-kit-literal.test.ts runs them.

const SERVER_ID = '3f2b9c4e-1d7a-4e8b-9c6f-0a1b2c3d4e5f';
const BUCKET = 'acme-production-backups-eu-central-1-kumiko-recovery-archive-01';
const ENDPOINT = 'https://s3.eu-central-1.amazonaws.com';
const CA = [
  '-----BEGIN CERTIFICATE-----',
  ...Array.from({ length: 12 }, (_, i) =>
    `MIIDdzCCAl+gAwIBAgIUQ${i}x/y+z-Abc`.padEnd(64, 'K').slice(0, 64),
  ),
  'Zm9v/ba+r==',
  '-----END CERTIFICATE-----',
].join('\n');

function input(over: Partial<KitInput> = {}): KitInput {
  return {
    serverName: 'db1',
    serverId: SERVER_ID,
    stanza: 'main',
    pgVersion: '15',
    dataDirectory: '/var/lib/postgresql/15/main',
    storage: {
      endpoint: ENDPOINT,
      bucket: BUCKET,
      region: 'eu-central-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+a',
      ownStorage: false,
      caCertificate: CA,
    },
    cipherPass: 'q-3_Zr8-kLm_Xw2-Np9_Vb4-Tc6_Yd1-Hs5_Je7-Gf0_Ua3-Bo',
    resticPassword: 'R-7_mK2-pQ9_wX4-zL6_nB1-vC8_tY3-hJ5_gF0-dS2_aE9-oI',
    repoPath: `/kumiko/${SERVER_ID}/pgbackrest`,
    resticRepository: `s3:https://s3.eu-central-1.amazonaws.com/${BUCKET}/kumiko/${SERVER_ID}/restic`,
    createdAt: new Date('2026-05-11T12:00:00Z'),
    restore: {
      directory: '/var/lib/postgresql/15/kumiko-restore',
      port: 5499,
      productionPort: 5432,
      pgBin: '/usr/lib/postgresql/15/bin',
      pgBinOther: '/usr/pgsql-15/bin',
    },
    ...over,
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-kit-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function pdfText(k: KitInput, layout: boolean): Promise<{ text: string; file: string }> {
  const sections = kitSections(k);
  const title = 'Kumiko Recovery — Recovery kit / Notfallblatt';
  const pdf = await renderKitPdf(title, sections, {
    name: 'kit.txt',
    content: renderKitText(title, sections),
    description: 'text copy',
  });
  const file = path.join(tmp, `kit-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  const args = [...(layout ? ['-layout'] : []), file, '-'];
  return { text: execFileSync('pdftotext', args, { encoding: 'utf8' }), file };
}

/** Lines as pdftotext gives them; without -layout it collapses runs of spaces to one. */
const lines = (text: string) => text.split(/[\n\f]/).map(squeeze);
const squeeze = (line: string) => line.replace(/\s+/g, ' ').trim();

/** The monospace blocks of the restore steps, as the kit defines them. */
function restoreBlocks(k: KitInput): string[] {
  const headings = new Set<string>(Object.values(KIT_RESTORE_HEADINGS));
  return kitSections(k)
    .filter((s) => headings.has(s.heading))
    .flatMap((s) => s.lines.filter((l) => l.mono).map((l) => l.text));
}

describe('recovery kit', () => {
  const k = input();
  const values = {
    endpoint: ENDPOINT,
    bucket: BUCKET,
    'access key': k.storage.accessKeyId,
    'secret key': k.storage.secretAccessKey,
    'cipher pass': k.cipherPass,
    'restic password': k.resticPassword,
    'restic repository': k.resticRepository,
    'repository path': k.repoPath,
    'restore folder': k.restore.directory,
  };

  for (const layout of [false, true]) {
    it(`never splits a value across lines (pdftotext${layout ? ' -layout' : ''})`, async () => {
      const all = lines((await pdfText(k, layout)).text);
      for (const [name, value] of Object.entries(values)) {
        expect(
          all.some((l) => l.includes(value)),
          `${name} ${value} is not on one line`,
        ).toBe(true);
      }
    });
  }

  it('prints every line of every command block as one line (pdftotext -layout)', async () => {
    // Without -layout pdftotext joins a line ending in '-' with the next one (it takes it for
    // a hyphenated word): the PEM's last line and the heredoc's EOF. Reading order is
    // pdftotext's guess there; -layout keeps the lines as printed.
    const all = lines((await pdfText(k, true)).text);
    for (const section of kitSections(k)) {
      for (const line of section.lines.filter((l) => l.mono)) {
        for (const expected of line.text.split('\n').map(squeeze)) {
          if (expected) expect(all, `${section.heading}: ${expected}`).toContain(expected);
        }
      }
    }
    for (const pem of CA.split('\n')) expect(all).toContain(pem);
  });

  it('keeps every word inside the right margin (a long line is set smaller, not cut off)', async () => {
    const { file } = await pdfText(k, true);
    const boxes = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const pageWidth = Number(/<page width="([\d.]+)"/.exec(boxes)?.[1]);
    const right = Math.max(...[...boxes.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(right).toBeLessThanOrEqual(pageWidth - 50 + 0.5);
  });

  it('embeds the plain-text copy, which holds every value on a line of its own', async () => {
    const { file } = await pdfText(k, false);
    const list = execFileSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    expect(list).toMatch(/1 embedded files/);
    expect(list).toContain('kit.txt');
    const out = path.join(tmp, 'detached.txt');
    execFileSync('pdfdetach', ['-save', '1', '-o', out, file]);
    const sections = kitSections(k);
    const title = 'Kumiko Recovery — Recovery kit / Notfallblatt';
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toBe(renderKitText(title, sections));
    for (const value of Object.values(values)) {
      expect(lines(text).some((l) => l.includes(value))).toBe(true);
    }
    for (const block of restoreBlocks(k)) expect(text).toContain(block);
  });

  it('writes the storage CA, points pgBackRest at it and gives restic --cacert', () => {
    const script = restoreBlocks(k).join('\n');
    expect(script).toContain(`cat > "$RESTORE_DIR/storage-ca.pem" <<'EOF'\n${CA}\nEOF`);
    expect(script).toContain('repo1-storage-ca-file=$RESTORE_DIR/storage-ca.pem');
    const restic = script.split('\n').filter((l) => /^restic /.test(l));
    expect(restic.length).toBeGreaterThanOrEqual(2);
    for (const l of restic) expect(l).toContain('--cacert "$RESTORE_DIR/storage-ca.pem"');
    // The restored copy gets its own port and socket and never archives.
    for (const setting of [
      'port = $RESTORE_PORT',
      "unix_socket_directories = '$RESTORE_DIR'",
      'archive_mode = off',
      "archive_command = ''",
    ])
      expect(script).toContain(setting);
    expect(script).toContain('--target-action=promote');
  });

  it('names no CA file when the storage has a public certificate', () => {
    const { caCertificate: _ca, ...storage } = k.storage;
    const script = restoreBlocks(input({ storage })).join('\n');
    expect(script).not.toMatch(/cacert|storage-ca|ca-file/);
  });

  it('refuses a passphrase typed with one wrong character before anything is written', () => {
    const step3 = restoreBlocks(k)[0]?.split('\n') ?? [];
    const from = step3.findIndex((l) => l.startsWith('REPO_CIPHER_PASS='));
    const to = step3.findIndex((l) => l.startsWith('install -d'));
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    // The lines between the passphrases and the first folder, then a line that says it got on.
    const run = (lines: string[]) =>
      spawnSync('bash', ['-e', '-o', 'pipefail'], {
        input: [...lines, 'echo written'].join('\n'),
        encoding: 'utf8',
      });
    const printed = step3.slice(from, to);
    const asPrinted = run(printed);
    expect(asPrinted.status, asPrinted.stderr).toBe(0);
    expect(asPrinted.stdout).toBe('written\n');
    for (const variable of ['REPO_CIPHER_PASS', 'RESTIC_PASSWORD']) {
      const typo = printed.map((l) =>
        l.startsWith(`${variable}=`) ? l.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')) : l,
      );
      const refused = run(typo);
      expect(refused.status).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`${variable} is not the one printed here`);
      expect(refused.stderr).toContain('Nothing written');
    }
  });

  it('prints shell steps that parse', () => {
    const script = restoreBlocks(k).join('\n');
    const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('restores beside production: a free port, a folder beside the data directory', () => {
    const detection = {
      os: { id: 'rocky', name: 'Rocky', version: '9', pretty: 'Rocky Linux 9' },
      clusters: [
        { version: '15', dataDirectory: '/var/lib/pgsql/15/data', port: 5499 },
        { version: '14', dataDirectory: '/var/lib/pgsql/14/data', port: 5498 },
      ],
    } as unknown as Parameters<typeof restoreDefaults>[0];
    expect(restoreDefaults(detection, '/var/lib/pgsql/15/data', '15.4')).toEqual({
      directory: '/var/lib/pgsql/15/kumiko-restore',
      port: 5497,
      productionPort: 5499,
      pgBin: '/usr/pgsql-15/bin',
      pgBinOther: '/usr/lib/postgresql/15/bin',
    });
    expect(restoreDefaults(null, '/var/lib/postgresql/15/main', '15')).toMatchObject({
      port: 5499,
      productionPort: null,
      pgBin: '/usr/lib/postgresql/15/bin',
    });
  });
});
