import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from '../../electron/cli/main';
import { EXIT, EXIT_FOR_CODE } from '../../electron/cli/exit-codes';
import { ErrorCode } from '../../shared/contract';
import { repoRoot } from '../harness';

const PASSPHRASE = 'cli-json-test-passphrase';
/** A server id no data folder knows. */
const NOBODY = '00000000-0000-4000-8000-00000000dead';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Case {
  args: string[];
  /** The error code expected; a list when either is right (a command being added meanwhile). */
  code: string | string[];
  env?: Record<string, string | undefined>;
  stdin?: string;
}

/**
 * Issue 21 §4: every `kumiko` command, run as a real process with --json in an error case,
 * prints exactly one JSON object on stdout, { ok: false, error: { code, message } }, and
 * exits with the code the one table (electron/cli/exit-codes.ts) gives that error code. No
 * server is needed: an unknown server id, a wrong flag, a locked vault, storage outside the EU
 * (refused from the endpoint's name, before any connection).
 */
describe('kumiko --json on errors', () => {
  let dataDir: string;

  const kumiko = (c: Case): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(repoRoot, 'bin/kumiko.mjs'),
          // '@key', '@pass-…': files in the data folder, known only once it exists.
          ...c.args.map((a) =>
            a === '@key' ? keyFile() : a.startsWith('@') ? path.join(dataDir, a.slice(1)) : a,
          ),
          '--json',
          '--data-dir',
          dataDir,
        ],
        {
          env: {
            ...process.env,
            KUMIKO_VAULT_PASSPHRASE: PASSPHRASE,
            KUMIKO_FROM_SOURCE: '1',
            KUMIKO_S3_SECRET_ACCESS_KEY: 'not-a-real-secret',
            KUMIKO_SMTP_PASSWORD: undefined,
            ...c.env,
          },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.stdin.end(c.stdin ?? '');
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const keyFile = () => path.join(dataDir, 'id_ed25519');
  const s3 = (endpoint: string, region: string, ...more: string[]) => [
    '--endpoint',
    endpoint,
    '--bucket',
    'acme-backup',
    '--region',
    region,
    '--access-key-id',
    'AKIAEXAMPLE',
    ...more,
  ];

  const CASES: Case[] = [
    { args: [], code: 'INVALID_INPUT' },
    { args: ['demo', '--port', 'eighty'], code: 'INVALID_INPUT' },
    { args: ['serve', '--port', '70000'], code: 'INVALID_INPUT' },
    // The finding: a locked vault printed text on stderr and nothing on stdout.
    {
      args: ['servers', 'list'],
      env: { KUMIKO_VAULT_PASSPHRASE: undefined },
      code: 'SECRET_STORE_LOCKED',
    },
    { args: ['servers', 'add', '--port', '22'], code: 'INVALID_INPUT' },
    {
      args: ['servers', 'add', '--host', 'db1', '--key-file', '/nonexistent/key'],
      code: 'INVALID_INPUT',
    },
    {
      args: [
        'servers',
        'add',
        '--host',
        '127.0.0.1',
        '--key-file',
        '@key',
        '--key-passphrase-file',
        '@pass-wrong',
      ],
      code: 'INVALID_INPUT',
    },
    { args: ['servers', 'trust', NOBODY], code: 'NOT_FOUND' },
    { args: ['servers', 'connect', NOBODY], code: 'NOT_FOUND' },
    { args: ['servers', 'remove', NOBODY], code: 'NOT_FOUND' },
    // The finding: --own-storage with us-east-1. On AWS the mark does not lift the EU rule.
    {
      args: [
        'storage',
        'check',
        ...s3('https://s3.us-east-1.amazonaws.com', 'us-east-1', '--own-storage'),
      ],
      code: 'STORAGE_NOT_EU',
    },
    {
      args: [
        'storage',
        'check',
        ...s3('https://s3.eu-central-1.amazonaws.com', 'us-east-1', '--own-storage'),
      ],
      code: 'INVALID_INPUT',
    },
    {
      args: [
        'storage',
        'save',
        '--server',
        NOBODY,
        ...s3('https://s3.us-east-1.amazonaws.com', 'us-east-1'),
      ],
      code: ['NOT_FOUND', 'STORAGE_NOT_EU'],
    },
    {
      args: [
        'storage',
        'check',
        ...s3('https://s3.eu-central-1.amazonaws.com', 'eu-central-1', '--secret-access-key', 'x'),
      ],
      code: 'INVALID_INPUT',
    },
    { args: ['storage', 'show'], code: 'INVALID_INPUT' },
    {
      args: ['agent', 'plan', '--server', NOBODY, '--cluster', '/var/lib/postgresql/15/main'],
      code: 'NOT_FOUND',
    },
    { args: ['agent', 'install', '--server', NOBODY], code: 'INVALID_INPUT' },
    {
      args: [
        'agent',
        'install',
        '--server',
        NOBODY,
        '--cluster',
        '/d',
        '--webhook-url',
        'not a url',
      ],
      code: 'INVALID_INPUT',
    },
    {
      args: [
        'agent',
        'install',
        '--server',
        NOBODY,
        '--cluster',
        '/d',
        '--smtp-host',
        'mail.example.com',
        '--smtp-to',
        'ops@example.com',
        '--smtp-password',
        'hunter22',
      ],
      code: 'INVALID_INPUT',
    },
    // Valid alert flags (the password on stdin) pass the contract and reach the core.
    {
      args: [
        'agent',
        'install',
        '--server',
        NOBODY,
        '--cluster',
        '/d',
        '--confirm-restart',
        '--smtp-host',
        'mail.example.com',
        '--smtp-from',
        'kumiko@example.com',
        '--smtp-to',
        'ops@example.com',
        '--smtp-password-stdin',
        '--webhook-url',
        'https://hooks.example.com/x',
        '--webhook-format',
        'slack',
      ],
      stdin: 's3cret\n',
      code: 'NOT_FOUND',
    },
    { args: ['agent', 'uninstall', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['kit', 'export', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['kit', 'acknowledge', '--server', NOBODY, '--yes'], code: 'NOT_FOUND' },
    { args: ['kit', 'status'], code: 'INVALID_INPUT' },
    { args: ['status', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['catalog', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['restore', '--server', NOBODY, '--latest', '--yes'], code: 'NOT_FOUND' },
    {
      args: ['restore', '--server', NOBODY, '--latest', '--over-production'],
      code: 'NOT_FOUND',
    },
    { args: ['restore', '--server', NOBODY, '--time', 'yesterday'], code: 'INVALID_INPUT' },
    {
      args: ['rebuild', '--server', NOBODY, '--host', NOBODY, '--latest', '--yes'],
      code: 'NOT_FOUND',
    },
    { args: ['rebuild', '--server', NOBODY, '--latest'], code: 'INVALID_INPUT' },
    { args: ['rebuild', '--resume', NOBODY], code: 'NOT_FOUND' },
    { args: ['scratch', 'drop', NOBODY], code: 'NOT_FOUND' },
    { args: ['drill', 'run', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['drill', 'list', '--server', NOBODY], code: 'NOT_FOUND' },
    { args: ['drill', 'sync', '--server', NOBODY], code: ['NOT_FOUND', 'STORAGE_NOT_CONFIGURED'] },
    { args: ['drill', 'settings', '--server', NOBODY, '--every', '30d'], code: 'NOT_FOUND' },
    {
      args: ['drill', 'settings', '--server', NOBODY, '--every', 'quarterly'],
      code: 'INVALID_INPUT',
    },
    { args: ['report', 'verify', '/nonexistent/bundle'], code: 'REPORT_UNVERIFIED' },
    { args: ['report', 'export', '--server', NOBODY], code: 'INVALID_INPUT' },
    { args: ['report', 'list', '--from', 'last week'], code: 'INVALID_INPUT' },
    { args: ['log', 'list', '--from', 'last week'], code: 'INVALID_INPUT' },
    { args: ['report', 'countersign', NOBODY, 'drill-1'], code: 'NOT_FOUND' },
    // `point create` (issue 21 §1) while it is being added: unknown until then.
    { args: ['point', 'create', '--server', NOBODY], code: ['NOT_FOUND', 'INVALID_INPUT'] },
    {
      args: ['gdpr', 'export', '--server', NOBODY, '--database', 'shop', '--subject', '1'],
      code: 'NOT_FOUND',
    },
    { args: ['gdpr', 'requests', 'show', NOBODY], code: 'NOT_FOUND' },
    { args: ['audit', 'install', '--server', NOBODY, '--db', 'app'], code: 'NOT_FOUND' },
    {
      args: [
        'rollback',
        'history',
        '--server',
        NOBODY,
        '--db',
        'app',
        '--table',
        't',
        '--key',
        'id=1',
      ],
      code: 'NOT_FOUND',
    },
    { args: ['jobs', 'everything'], code: 'INVALID_INPUT' },
    { args: ['call', 'no.such.command'], code: 'UNKNOWN_COMMAND' },
    { args: ['call', 'jobs.get', `{"id":"${NOBODY}"}`], code: 'JOB_NOT_FOUND' },
  ];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-cli-json-'));
    // A passphrase-protected key, as the console's add-server form takes one.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'right-pass', '-f', keyFile()]);
    fs.writeFileSync(path.join(dataDir, 'pass-right'), 'right-pass\n');
    fs.writeFileSync(path.join(dataDir, 'pass-wrong'), 'wrong-pass\n');
    // One run alone first: tsx fills its compile cache, and the vault and store are created
    // once (concurrent first runs would race on both).
    const first = await kumiko({ args: ['jobs', 'list'], code: [] });
    expect(first.code, first.stderr).toBe(0);
  });

  afterAll(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('covers every top-level command', () => {
    const covered = new Set(CASES.map((c) => c.args[0] ?? ''));
    for (const command of CLI_COMMANDS.filter((c) => c !== 'help' && c !== 'commands')) {
      expect(covered.has(command), `no error case for \`kumiko ${command}\``).toBe(true);
    }
  });

  it('maps every contract error code to one exit code', () => {
    for (const code of ErrorCode.options) expect(EXIT_FOR_CODE[code], code).toBeDefined();
  });

  it('prints one JSON object with ok:false, the code and the table exit, for every command', async () => {
    const runs: Run[] = [];
    // Three at a time: each run is a Node process compiling through tsx.
    for (let i = 0; i < CASES.length; i += 3) {
      runs.push(...(await Promise.all(CASES.slice(i, i + 3).map(kumiko))));
    }
    CASES.forEach((c, i) => {
      const run = runs[i] as Run;
      const what = `kumiko ${c.args.join(' ')} --json\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
      let out: { ok?: unknown; error?: { code?: unknown; message?: unknown } };
      try {
        out = JSON.parse(run.stdout) as typeof out;
      } catch {
        throw new Error(`stdout is not one JSON object: ${what}`);
      }
      expect(out.ok, what).toBe(false);
      const codes = Array.isArray(c.code) ? c.code : [c.code];
      expect.soft(codes, what).toContain(out.error?.code);
      expect(typeof out.error?.message === 'string' && out.error.message.length > 10, what).toBe(
        true,
      );
      expect(run.code, what).toBe(EXIT[EXIT_FOR_CODE[out.error?.code as string] ?? 'failed']);
      expect(run.code, what).not.toBe(0);
    });
    // The refused password flag is named, its value is never repeated.
    const password = runs[CASES.findIndex((c) => c.args.includes('--smtp-password'))] as Run;
    expect(password.stdout).toContain('--smtp-password-file');
    expect(password.stdout + password.stderr).not.toContain('hunter22');
    // Exit codes by class: locked vault refused (6), unknown server not found (5), usage (2).
    expect(runs[CASES.findIndex((c) => c.env)]?.code).toBe(6);
    expect(runs[CASES.findIndex((c) => c.code === 'NOT_FOUND')]?.code).toBe(5);
    expect(runs[0]?.code).toBe(2);
  });

  it('prints one JSON value on success', async () => {
    const withPassphrase = [
      'servers',
      'add',
      '--host',
      '127.0.0.1',
      '--key-file',
      '@key',
      '--key-passphrase-file',
      '@pass-right',
    ];
    for (const args of [
      ['commands'],
      ['help'],
      ['jobs', 'list'],
      ['gdpr', 'requests', 'list'],
      withPassphrase,
    ]) {
      const run = await kumiko({ args, code: [] });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
    }
  });
});
