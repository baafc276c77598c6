import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostKeyMismatchError,
  canConnect,
  connectSsh,
  isAlive,
  osUser,
  pendingCleanups,
  sshExec,
  startEnvironment,
  stopAll,
  type Environment,
} from '../harness';

// One environment for the whole file: starting PostgreSQL + sshd + s3rver costs ~2 s.
let env: Environment;

beforeAll(async () => {
  env = await startEnvironment({ chinook: true });
});

afterAll(async () => {
  await env?.stop();
  await stopAll();
});

/** GET https://localhost:<port>/ with an explicit trust setting; resolves the status code. */
function httpsGet(port: number, ca: Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: 'localhost', port, path: '/', ca, agent: false, timeout: 5_000 },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

describe('PostgreSQL', () => {
  it('runs version 15 with data checksums, as the postgres OS user', async () => {
    expect(await env.pg.psql('SHOW data_checksums')).toBe('on');
    const [row] = await env.pg.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(row?.server_version_num.slice(0, 2)).toBe('15');
    const pid = env.pg.pid as number;
    const uidLine = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m);
    expect(Number(uidLine?.[1])).toBe(osUser('postgres').uid);
    expect(fs.statSync(env.pg.dataDir).uid).toBe(osUser('postgres').uid);
  });

  it('is configured for pgBackRest (wal_level replica, wal senders) and listens on 127.0.0.1 only', async () => {
    expect(await env.pg.psql('SHOW wal_level')).toBe('replica');
    expect(Number(await env.pg.psql('SHOW max_wal_senders'))).toBeGreaterThanOrEqual(3);
    expect(await env.pg.psql('SHOW listen_addresses')).toBe('127.0.0.1');
    expect(await env.pg.psql('SHOW unix_socket_directories')).toBe(env.pg.socketDir);
  });

  it('has Chinook loaded with the known row counts', async () => {
    expect(env.chinook).toMatchObject({
      artist: 275,
      album: 347,
      track: 3503,
      customer: 59,
      invoice: 412,
      invoice_line: 2240,
      playlist_track: 8715,
    });
    const [row] = await env.pg.query<{ name: string }>(
      'SELECT name FROM artist WHERE artist_id = 1',
      [],
      'chinook',
    );
    expect(row?.name).toBe('AC/DC');
  });
});

describe('sshd', () => {
  /** One command over a fresh root login with the client key, the host key checked. */
  async function runAsRoot(command: string) {
    const { sshd } = env;
    const client = await connectSsh({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      privateKey: sshd.clientPrivateKey,
      expectedFingerprint: sshd.hostFingerprint,
    });
    try {
      return await sshExec(client, command);
    } finally {
      client.end();
    }
  }

  it('lets root in with the client key when the host fingerprint matches', async () => {
    const { sshd } = env;
    const printed = execFileSync('ssh-keygen', ['-lf', `${sshd.hostKeyPath}.pub`], {
      encoding: 'utf8',
    });
    expect(printed.split(' ')[1]).toBe(sshd.hostFingerprint);
    const result = await runAsRoot('id -u && runuser -u postgres -- id -un');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0\npostgres\n');
  });

  it("runs a session's command above shell level 1, where bash does not read root's ~/.bashrc", async () => {
    // A root .bashrc with `pyenv init` (this machine's) made every session wait 60 s once a
    // killed session had left pyenv's lock file behind.
    const result = await runAsRoot('echo "$SHLVL"');
    expect(Number(result.stdout.trim())).toBeGreaterThanOrEqual(2);
  });

  it('refuses a key that is not authorized, until it is added', async () => {
    const { sshd } = env;
    const stranger = utils.generateKeyPairSync('ed25519', { comment: 'stranger' });
    const attempt = () =>
      connectSsh({
        host: sshd.host,
        port: sshd.port,
        username: 'root',
        privateKey: stranger.private,
        expectedFingerprint: sshd.hostFingerprint,
      });
    await expect(attempt()).rejects.toThrow(/authentication methods failed/i);
    sshd.addAuthorizedKey(stranger.public);
    const client = await attempt();
    client.end();
  });

  it('refuses to talk to a host with another key than pinned', async () => {
    const { sshd } = env;
    await expect(
      connectSsh({
        host: sshd.host,
        port: sshd.port,
        username: 'root',
        privateKey: sshd.clientPrivateKey,
        expectedFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    ).rejects.toBeInstanceOf(HostKeyMismatchError);
  });

  it('regenerateHostKey changes the fingerprint and restarts on the same port', async () => {
    const { sshd } = env;
    const before = { fingerprint: sshd.hostFingerprint, port: sshd.port, pid: sshd.pid };
    await sshd.regenerateHostKey();
    expect(sshd.hostFingerprint).not.toBe(before.fingerprint);
    expect(sshd.hostFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sshd.port).toBe(before.port);
    expect(sshd.pid).not.toBe(before.pid);
    expect(isAlive(before.pid as number)).toBe(false);
    const options = {
      host: sshd.host,
      port: sshd.port,
      username: 'root',
      privateKey: sshd.clientPrivateKey,
    };
    await expect(
      connectSsh({ ...options, expectedFingerprint: before.fingerprint }),
    ).rejects.toBeInstanceOf(HostKeyMismatchError);
    const client = await connectSsh({ ...options, expectedFingerprint: sshd.hostFingerprint });
    client.end();
  });
});

describe('S3 (s3rver over TLS)', () => {
  it('serves a certificate for DNS:localhost that verifies only with the harness CA', async () => {
    const { s3 } = env;
    expect(s3.endpoint).toBe(`https://localhost:${s3.port}`);
    expect(await httpsGet(s3.port, fs.readFileSync(s3.caFile))).toBeGreaterThan(0);
    await expect(httpsGet(s3.port, undefined)).rejects.toMatchObject({
      code: expect.stringMatching(
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      ),
    });
    const altNames = await new Promise<string | undefined>((resolve, reject) => {
      const socket = tls.connect(
        {
          host: '127.0.0.1',
          port: s3.port,
          servername: 'localhost',
          ca: fs.readFileSync(s3.caFile),
        },
        () => {
          resolve(socket.getPeerCertificate().subjectaltname);
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(altNames).toContain('DNS:localhost');
  });

  it('keeps objects across restart() on the same port, and is unreachable while stopped', async () => {
    const { s3 } = env;
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // The SDK accepts handler options directly; the agent trusts the harness CA only.
      requestHandler: { httpsAgent: new https.Agent({ ca: fs.readFileSync(s3.caFile) }) },
    });
    try {
      const bucket = s3.buckets[0] as string;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt', Body: 'hello' }));
      expect(s3.listKeys(bucket)).toContain('a/b/c.txt');
      const pid = s3.pid as number;
      await s3.stopServer();
      expect(isAlive(pid)).toBe(false);
      expect(await canConnect(s3.port)).toBe(false);
      await s3.start();
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/c.txt' }));
      expect(await object.Body?.transformToString()).toBe('hello');
      await s3.restart();
      expect(s3.pid).not.toBe(pid);
    } finally {
      client.destroy();
    }
  });
});

describe('teardown', () => {
  it('stop() ends every process by PID and removes the temp dirs', async () => {
    const pids = [env.pg.pid, env.sshd.pid, env.s3.pid] as number[];
    const dirs = [env.pg.dir, env.sshd.dir, env.s3.dir];
    expect(pids.every(isAlive)).toBe(true);
    await env.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(dirs.filter((d) => fs.existsSync(d))).toEqual([]);
    expect(pendingCleanups()).toEqual([]);
    await env.stop(); // idempotent
  });
});
