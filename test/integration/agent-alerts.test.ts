import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Heartbeat } from '../../shared/agent/heartbeat';
import { buildAgentBundle, startAgentEnv, type AgentEnv } from '../harness/agent-env';
import { startSmtpReceiver, type SmtpReceiver } from '../harness/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/webhook-receiver';
import { stopAll } from '../harness';

// Alerts without the app: the S3 server is stopped, so the repository becomes unreachable and
// PostgreSQL's archive-push fails. pgBackRest's `archive-timeout` is 10 s here (default 60 s),
// so the failure shows in pg_stat_archiver within seconds instead of a minute; nothing else
// is faked. `heartbeat` runs repeatedly: each channel gets exactly one failure alert, and after
// S3 returns and the archiver catches up, exactly one recovery notice.

let env: AgentEnv;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;

beforeAll(async () => {
  [smtp, hooks] = await Promise.all([startSmtpReceiver(), startWebhookReceiver()]);
  await Promise.all([
    buildAgentBundle(),
    startAgentEnv({
      attachedFiles: false,
      pgbackrestGlobal: { 'archive-timeout': 10 },
      config: (c) => ({
        ...c,
        alerts: {
          smtp: {
            host: smtp.host,
            port: smtp.port,
            secure: false,
            from: 'agent@example.com',
            to: ['ops@example.com', 'dpo@example.com'],
          },
          webhooks: [
            { url: `${hooks.url}/hook/json`, format: 'json' },
            { url: `${hooks.url}/hook/slack`, format: 'slack' },
            { url: `${hooks.url}/hook/teams`, format: 'teams' },
          ],
          pushMonitorUrl: `${hooks.url}/ping`,
          // Only capture-failing is under test; a lag alert would join it after a minute.
          captureLagSeconds: 3600,
          recoveryPointMaxAgeHours: 26,
        },
      }),
    }).then((e) => (env = e)),
  ]);
});

afterAll(async () => {
  await env?.stop();
  await smtp?.stop();
  await hooks?.stop();
  await stopAll();
});

interface Counts {
  mails: number;
  json: number;
  slack: number;
  teams: number;
  pings: number;
}
const counts = (): Counts => ({
  mails: smtp.mails.length,
  json: hooks.to('/hook/json').length,
  slack: hooks.to('/hook/slack').length,
  teams: hooks.to('/hook/teams').length,
  pings: hooks.to('/ping').length,
});

async function heartbeat(): Promise<{
  code: number | null;
  heartbeat: Heartbeat;
  ms: number;
}> {
  const t0 = Date.now();
  const result = await env.agent(['heartbeat']);
  const ms = Date.now() - t0;
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return { code: result.code, heartbeat: Heartbeat.parse(JSON.parse(result.stdout)), ms };
}

async function archiver(): Promise<{ failed: number; ok: boolean }> {
  const [row] = await env.pg.query<{ failed: string; ok: boolean }>(
    `SELECT failed_count AS failed,
            coalesce(last_archived_time > coalesce(last_failed_time, '-infinity'), false) AS ok
       FROM pg_stat_archiver`,
  );
  return { failed: Number(row?.failed ?? 0), ok: !!row?.ok };
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('agent alerts: S3 outage', () => {
  it('is healthy at first: no alert, the push monitor is pinged', async () => {
    const run = await heartbeat();
    expect(run.code).toBe(0);
    expect(run.heartbeat.incidents).toEqual({});
    expect(run.heartbeat.repository.reachable).toBe(true);
    expect(counts()).toEqual({ mails: 0, json: 0, slack: 0, teams: 0, pings: 1 });
  });

  it('alerts exactly once per channel while capture fails', async () => {
    await env.s3.stopServer();
    await env.pg.psql(
      'CREATE TABLE during_outage AS SELECT g FROM generate_series(1, 1000) g; SELECT pg_switch_wal();',
    );

    const first = await heartbeat();
    console.log(`heartbeat with S3 down took ${first.ms} ms`);
    expect(first.code).toBe(1); // the upload failed, the rest ran
    expect(first.heartbeat.repository.reachable).toBe(false);
    expect(first.heartbeat.repository.statusCode).toBe(99);
    expect(Object.keys(first.heartbeat.incidents)).toEqual(['capture-failing']);
    expect(counts()).toEqual({ mails: 1, json: 1, slack: 1, teams: 1, pings: 1 });

    // PostgreSQL's own archiver now fails too (async archive-push gives up after 10 s).
    await until('a failed archive-push', async () => (await archiver()).failed > 0, 60_000);
    const second = await heartbeat();
    expect(second.heartbeat.archiver.failedCount).toBeGreaterThan(0);
    expect(Object.keys(second.heartbeat.incidents)).toEqual(['capture-failing']);
    expect(counts()).toEqual({ mails: 1, json: 1, slack: 1, teams: 1, pings: 1 });

    const [mail] = smtp.mails;
    expect(mail?.to).toEqual(['ops@example.com', 'dpo@example.com']);
    expect(mail?.subject).toBe(`[Kumiko Recovery] ${env.serverId}: WAL capture is failing`);
    expect(mail?.text).toMatch(/repository unreachable/);
    expect(hooks.to('/hook/json')[0]?.json).toMatchObject({
      kind: 'capture-failing',
      state: 'open',
      serverId: env.serverId,
    });
    expect((hooks.to('/hook/json')[0]?.json as { at: string }).at).toMatch(/Z$/);
    expect(hooks.to('/hook/slack')[0]?.json).toEqual({
      text: expect.stringContaining('WAL capture is failing'),
    });
    expect(hooks.to('/hook/teams')[0]?.json).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: expect.stringContaining('WAL capture is failing'),
      text: expect.any(String),
    });
  });

  it('sends exactly one recovery notice per channel once capture works again', async () => {
    await env.s3.start();
    // A reload wakes the archiver at once instead of after its 60 s back-off.
    await until(
      'the archiver to catch up',
      async () => {
        await env.pg.psql('SELECT pg_reload_conf();');
        return (await archiver()).ok;
      },
      120_000,
    );
    const resolved = await heartbeat();
    expect(resolved.code).toBe(0);
    expect(resolved.heartbeat.incidents).toEqual({});
    expect(counts()).toEqual({ mails: 2, json: 2, slack: 2, teams: 2, pings: 2 });
    const again = await heartbeat();
    expect(again.code).toBe(0);
    expect(counts()).toEqual({ mails: 2, json: 2, slack: 2, teams: 2, pings: 3 });

    expect(smtp.mails[1]?.subject).toBe(
      `[Kumiko Recovery] ${env.serverId}: resolved: WAL capture is failing`,
    );
    expect(hooks.to('/hook/json')[1]?.json).toMatchObject({
      kind: 'capture-failing',
      state: 'resolved',
    });
    expect((hooks.to('/hook/slack')[1]?.json as { text: string }).text).toContain('resolved');
  });

  it('keeps the S3 keys out of logs, the heartbeat and the alerts', () => {
    const secret = env.config.s3.secretAccessKey;
    const stateDir = env.config.stateDir;
    const texts = [
      fs.readFileSync(path.join(stateDir, 'agent.log'), 'utf8'),
      fs.readFileSync(path.join(stateDir, 'heartbeat.json'), 'utf8'),
      fs.readFileSync(path.join(stateDir, 'incidents.json'), 'utf8'),
      ...smtp.mails.map((m) => m.raw + m.text),
      ...hooks.requests.map((r) => r.body),
    ];
    for (const text of texts) expect(text).not.toContain(secret);
  });
});
