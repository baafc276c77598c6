import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { installRequestFrom, SMTP_PASSWORD_ENV } from '../../electron/cli/install-flags';
import { AgentInstallRequest } from '../../shared/contract';
import { defaultDraft, toInstallRequest } from '../../renderer/stores/agent-install-model';

const SERVER = '3f0c8f4e-4a39-4c1e-9b7a-0d6f2f4b1a11';

/**
 * Issue 21 §4: `kumiko agent plan|install` offers every option of the console's install wizard,
 * alerts included, and builds the same install request the wizard sends for the same choices.
 */
describe('kumiko agent install flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-install-flags-'));
  afterEach(() => {
    delete process.env[SMTP_PASSWORD_ENV];
  });

  const request = (...argv: string[]) =>
    installRequestFrom(parseArgs(['agent', 'install', ...argv]), SERVER);

  it('sends what the wizard sends: schedule, retention, e-mail, webhook and push monitor', async () => {
    const passwordFile = path.join(dir, 'smtp-password');
    fs.writeFileSync(passwordFile, 'app-password with spaces\n', { mode: 0o600 });
    const fromFlags = await request(
      '--cluster',
      '/var/lib/postgresql/15/main',
      '--paths',
      '/srv/uploads,/srv/pdf',
      '--snapshot-at',
      '03:15',
      '--snapshot-every-minutes',
      '30',
      '--heartbeat-seconds',
      '30',
      '--keep-daily',
      '14',
      '--keep-weekly',
      '8',
      '--keep-monthly',
      '12',
      '--pitr-days',
      '45',
      '--smtp-host',
      'mail.example.com',
      '--smtp-port',
      '465',
      '--smtp-secure',
      '--smtp-from',
      'kumiko@example.com',
      '--smtp-to',
      'ops@example.com,dba@example.com',
      '--smtp-user',
      'kumiko',
      '--smtp-password-file',
      passwordFile,
      '--webhook-url',
      'https://hooks.example.com/T000/B000',
      '--webhook-format',
      'teams',
      '--push-url',
      'https://hc-ping.com/abc',
      '--confirm-restart',
    );
    const draft = defaultDraft(null);
    const fromWizard = toInstallRequest(
      SERVER,
      {
        ...draft,
        dataDirectory: '/var/lib/postgresql/15/main',
        attachedPaths: ['/srv/uploads', '/srv/pdf'],
        snapshotAt: '03:15',
        snapshotIntervalMinutes: '30',
        heartbeatIntervalSeconds: '30',
        retention: { daily: '14', weekly: '8', monthly: '12', pitrDays: '45' },
        email: {
          enabled: true,
          host: 'mail.example.com',
          port: '465',
          secure: true,
          from: 'kumiko@example.com',
          to: 'ops@example.com, dba@example.com',
          username: 'kumiko',
          password: 'app-password with spaces',
        },
        webhook: { url: 'https://hooks.example.com/T000/B000', format: 'teams' },
        pushMonitorUrl: 'https://hc-ping.com/abc',
      },
      true,
    );
    expect(fromFlags).toEqual(fromWizard);
    expect(AgentInstallRequest.parse(fromFlags).alerts.smtp?.password).toBe(
      'app-password with spaces',
    );
  });

  it('sends the wizard defaults when only the cluster is given (no alerts)', async () => {
    const fromFlags = await request('--cluster', '/var/lib/postgresql/15/main');
    const fromWizard = toInstallRequest(
      SERVER,
      { ...defaultDraft(null), dataDirectory: '/var/lib/postgresql/15/main' },
      false,
    );
    expect(fromFlags).toEqual(fromWizard);
  });

  it('takes the SMTP password from the environment, never from a flag value', async () => {
    process.env[SMTP_PASSWORD_ENV] = 'from-env';
    const smtp = ['--smtp-host', 'mail.example.com', '--smtp-from', 'a@example.com'];
    const withEnv = await request('--cluster', '/d', ...smtp, '--smtp-to', 'b@example.com');
    expect(withEnv.alerts?.smtp).toMatchObject({ password: 'from-env', port: 587, secure: false });
    await expect(
      request('--cluster', '/d', ...smtp, '--smtp-to', 'b@example.com', '--smtp-password', 'pw'),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/--smtp-password is not accepted.*--smtp-password-file/),
    });
  });

  it('names the flag of a value the contract refuses', async () => {
    const smtp = ['--smtp-host', 'mail.example.com', '--smtp-from', 'not-an-address'];
    await expect(request('--cluster', '/d', ...smtp)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/--smtp-from: .*--smtp-to: /),
    });
    await expect(
      request(
        '--cluster',
        '/d',
        '--webhook-url',
        'https://h.example.com',
        '--webhook-format',
        'xml',
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('--webhook-format') });
    await expect(request('--cluster', '/d', '--keep-daily', '0')).rejects.toMatchObject({
      message: expect.stringContaining('--keep-daily'),
    });
    await expect(request('--cluster', '/d', '--smtp-port', 'smtp')).rejects.toMatchObject({
      message: '--smtp-port must be a whole number, not "smtp".',
    });
  });
});
