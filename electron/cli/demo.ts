import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Server } from '../../shared/contract';
import { loadChinook, startPostgres, startS3, startSshd, stopAll } from '../../test/harness';
import type { AppCore } from '../ipc/app-core';
import { openCore } from './context';
import { serve, untilInterrupted } from './serve';
import { waitForJob } from './servers-commands';

/**
 * `kumiko demo`: a self-contained environment under its own folder — PostgreSQL 15 with the
 * chinook sample data, a private sshd, a TLS S3 server — registered as a server in a fresh
 * app store, then the console in browser mode. Ctrl-C stops everything it started.
 */
export async function demo(dir: string, port?: number): Promise<number> {
  const root = path.resolve(dir);
  await fs.rm(root, { recursive: true, force: true });
  await fs.mkdir(root, { recursive: true });
  const step = (text: string) => process.stderr.write(`• ${text}\n`);
  let core: AppCore | null = null;
  try {
    step('starting PostgreSQL 15 and loading the chinook sample database');
    const pg = await startPostgres({ baseDir: path.join(root, 'postgres') });
    await loadChinook(pg);
    step('starting a private sshd');
    const sshd = await startSshd({ baseDir: path.join(root, 'sshd') });
    step('starting the TLS S3 server');
    const s3 = await startS3({ baseDir: path.join(root, 's3'), buckets: ['kumiko-demo'] });

    // The demo's vault lives and dies with the demo folder; its passphrase is random and
    // kept in memory only, so nothing sensitive is written in clear.
    core = await openCore(
      path.join(root, 'app'),
      'web',
      crypto.randomBytes(24).toString('base64url'),
    );
    step('registering the demo server');
    const added = await core.dispatch('servers.add', {
      name: 'Demo (chinook)',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'privateKey', privateKey: sshd.clientPrivateKey },
    });
    if (!added.ok) throw new Error(`${added.error.code}: ${added.error.message}`);
    const server = added.value as Server;
    // The demo generated this host key itself: that is the out-of-band check a real admin
    // does by comparing fingerprints, so the demo may pin it without asking.
    const trusted = await core.dispatch('servers.trustHostKey', {
      id: server.id,
      fingerprint: sshd.hostFingerprint,
    });
    if (!trusted.ok) throw new Error(`${trusted.error.code}: ${trusted.error.message}`);
    const started = await core.dispatch('servers.connect', { id: server.id });
    if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
    const job = await waitForJob(core, (started.value as { jobId: string }).jobId, true);
    if (job.state !== 'succeeded')
      throw new Error(`connecting failed: ${job.error?.message ?? job.state}`);

    const web = await serve(core, port);
    process.stderr.write(
      `\nDemo running in ${root}\n  PostgreSQL 15 on 127.0.0.1:${pg.port}, sshd on 127.0.0.1:${sshd.port}, S3 on ${s3.endpoint}\n` +
        'Open the URL above in a browser. Press Ctrl-C to stop everything.\n',
    );
    await untilInterrupted();
    step('stopping');
    await web.close();
    return 0;
  } finally {
    await core?.close();
    await stopAll();
  }
}
