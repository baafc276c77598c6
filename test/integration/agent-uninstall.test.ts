import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentUninstallResult, Job, Result, Server } from '../../shared/contract';
import {
  AUDIT_DROP_PUBLICATION_SQL,
  AUDIT_STREAM_SETUP,
} from '../../shared/audit/audit-stream-sql';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { openVault } from '../../electron/services/secrets/vault';
import {
  pidsWithArgument,
  repoRoot,
  startPostgres,
  startS3,
  startSshd,
  type PostgresCluster,
  type S3Server,
  type SshdServer,
} from '../harness';
import { buildAgentBundle } from '../harness/agent-env';
import { startWriteLoad } from '../harness/write-load';

/**
 * Issue 21 item 3: install then uninstall gives the server back as it was. A customer-like
 * cluster (its own ALTER SYSTEM lines, an include_dir with a file, a writer committing during
 * install) is compared before and after, file by file and with pg_settings; archiving is off
 * again and nothing of the agent is left.
 */
describe('agent uninstall gives the server back as it was', () => {
  let pg: PostgresCluster;
  let sshd: SshdServer;
  let s3: S3Server;
  let core: AppCore;
  let tmp: string;
  let remoteRoot: string;
  let serverId: string;

  async function call<T>(name: string, input: unknown): Promise<T> {
    const result = (await core.dispatch(name, input)) as Result<T>;
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  async function runJob(name: string, input: unknown): Promise<Job> {
    const { jobId } = await call<{ jobId: string }>(name, input);
    return core.jobs.wait(jobId);
  }

  /** The cluster's configuration files, byte for byte, by name. */
  function configFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of ['postgresql.conf', 'postgresql.auto.conf', 'pg_hba.conf', 'pg_ident.conf'])
      files[name] = fs.readFileSync(path.join(pg.dataDir, name), 'latin1');
    const confD = path.join(pg.dataDir, 'conf.d');
    for (const name of fs.readdirSync(confD).sort())
      files[`conf.d/${name}`] = fs.readFileSync(path.join(confD, name), 'latin1');
    return files;
  }

  const pgSettings = () => pg.psql('SELECT name, setting FROM pg_settings ORDER BY name');

  /** Files outside the agent's folders where an installer could leave a schedule or a right. */
  function systemTraces(): string[] {
    const traces: string[] = [];
    for (const dir of [
      '/etc/cron.d',
      '/etc/sudoers.d',
      '/var/spool/cron/crontabs',
      '/etc/systemd/system',
    ]) {
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (/kumiko/i.test(name)) traces.push(file);
        else if (fs.statSync(file).isFile() && fs.readFileSync(file, 'utf8').includes(remoteRoot))
          traces.push(file);
      }
    }
    for (const file of ['/etc/passwd', '/etc/group', '/etc/crontab']) {
      if (fs.existsSync(file) && /kumiko-agent/.test(fs.readFileSync(file, 'utf8')))
        traces.push(file);
    }
    return traces;
  }

  beforeAll(async () => {
    await buildAgentBundle();
    [pg, sshd, s3] = await Promise.all([
      startPostgres(),
      startSshd(),
      startS3({ buckets: ['kumiko'] }),
    ]);
    // The customer's own configuration: an archive_timeout and a work_mem set with ALTER
    // SYSTEM (install changes the first, must not touch the second), and an include_dir.
    fs.mkdirSync(path.join(pg.dataDir, 'conf.d'));
    fs.writeFileSync(
      path.join(pg.dataDir, 'conf.d', '10-customer.conf'),
      "log_min_duration_statement = '2s'\n",
    );
    fs.appendFileSync(path.join(pg.dataDir, 'postgresql.conf'), "include_dir = 'conf.d'\n");
    await pg.psql("ALTER SYSTEM SET archive_timeout = '5min'");
    await pg.psql("ALTER SYSTEM SET work_mem = '8MB'");
    await pg.psql('SELECT pg_reload_conf()');

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-uninstall-'));
    fs.chmodSync(tmp, 0o755);
    remoteRoot = path.join(tmp, 'server-root');
    const secrets = await openVault(path.join(tmp, 'app', 'secrets.vault'), 'uninstall-passphrase');
    core = await createAppCore({
      dataDir: path.join(tmp, 'app'),
      secrets,
      transport: 'cli',
      agentBundlePath: path.join(repoRoot, 'dist/agent/kumiko-agent.cjs'),
      agentRemoteRoot: remoteRoot,
    });
    const server = await call<Server>('servers.add', {
      name: 'db1',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    serverId = server.id;
    await call('servers.trustHostKey', { id: serverId, fingerprint: sshd.hostFingerprint });
    expect((await runJob('servers.connect', { id: serverId })).state).toBe('succeeded');
    await call('storage.save', {
      serverId,
      target: {
        endpoint: s3.endpoint,
        bucket: 'kumiko',
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        ownStorage: true,
        caCertificate: fs.readFileSync(s3.caFile, 'utf8'),
      },
    });
  });

  afterAll(async () => {
    await core?.close();
    for (const pid of pidsWithArgument(remoteRoot ?? '/nonexistent')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await pg?.stop();
    await sshd?.stop();
    await s3?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('install then uninstall with a confirmed restart leaves settings and config files as before', async () => {
    await expect.poll(() => pg.psql('SHOW log_min_duration_statement')).toBe('2s');
    const filesBefore = configFiles();
    const settingsBefore = await pgSettings();
    const tracesBefore = systemTraces();
    expect(await pg.psql('SHOW archive_mode')).toBe('off');

    const load = await startWriteLoad(pg, { pgbenchDb: null });
    let markersDuringInstall = 0;
    try {
      const markersAtStart = load.markers;
      const install = await runJob('agent.install', {
        serverId,
        dataDirectory: pg.dataDir,
        confirmRestart: true,
      });
      expect(install.state, JSON.stringify(install.error)).toBe('succeeded');
      markersDuringInstall = load.markers - markersAtStart;
      expect(await pg.psql('SHOW archive_mode')).toBe('on');
      expect(await pg.psql('SHOW archive_timeout')).toBe('1min');
      expect(configFiles()['postgresql.auto.conf']).not.toBe(filesBefore['postgresql.auto.conf']);
      // An audit trail's slot (the install set wal_level = logical): with it left behind,
      // PostgreSQL would not start again under wal_level = replica.
      for (const statement of AUDIT_STREAM_SETUP) await pg.psql(statement);
      expect(
        await pg.psql("SELECT count(*) FROM pg_replication_slots WHERE slot_type = 'logical'"),
      ).toBe('1');

      const job = await runJob('agent.uninstall', { serverId, confirmRestart: true });
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
      const result = job.result as AgentUninstallResult;
      expect(result.restarted).toBe(true);
      expect(result.restartPending).toBe(false);
      expect(result.recordFound).toBe(true);
      expect(result.autoConfOrderKept).toBe(true);
      expect(result.left).toEqual([]);
      expect(result.interim).toEqual([]);
      expect(result.restored).toEqual([
        { name: 'archive_mode', before: 'off', autoConf: null, now: 'off' },
        { name: 'archive_command', before: '(disabled)', autoConf: null, now: '(disabled)' },
        { name: 'archive_timeout', before: '300', autoConf: '5min', now: '300' },
        { name: 'wal_level', before: 'replica', autoConf: null, now: 'replica' },
      ]);
    } finally {
      await load.stop();
    }
    // The writer committed while install enabled archiving and restarted PostgreSQL.
    expect(markersDuringInstall).toBeGreaterThan(0);

    expect(configFiles()).toEqual(filesBefore);
    expect(await pgSettings()).toBe(settingsBefore);
    expect(await pg.psql('SHOW archive_mode')).toBe('off');
    expect(await pg.psql('SELECT count(*) FROM pg_replication_slots')).toBe('0');
    await pg.psql(AUDIT_DROP_PUBLICATION_SQL);
    for (const dir of ['etc/kumiko-agent', 'opt/kumiko-agent', 'var/lib/kumiko-agent'])
      expect(fs.existsSync(path.join(remoteRoot, dir)), dir).toBe(false);
    expect(systemTraces()).toEqual(tracesBefore);
    // No agent, supervisor or pgBackRest process of this install runs any more.
    await expect.poll(() => pidsWithArgument(remoteRoot), { timeout: 20_000 }).toEqual([]);
    // The app forgot the agent: a second uninstall has nothing to remove.
    const again = await runJob('agent.uninstall', { serverId });
    expect(again.error?.code).toBe('AGENT_NOT_INSTALLED');
  }, 300_000);
});
