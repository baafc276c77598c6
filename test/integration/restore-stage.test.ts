import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteShell } from '../../electron/services/agent-install/remote-shell';
import { NODE_RUNTIME_VERSION } from '../../electron/services/node-runtime/runtime-pin';
import {
  prepareOtherHost,
  restoreHostLayout,
  stageRestoreAgent,
  type OtherHostInput,
} from '../../electron/services/restore/other-host';
import { SshConnection } from '../../electron/services/ssh/connection';
import type { Server } from '../../shared/contract';
import {
  makeWorkDir,
  nodeRuntimeSources,
  startSshd,
  type SshdServer,
  type WorkDir,
} from '../harness';
import { AGENT_BUNDLE } from '../harness/agent-env';

/**
 * Issue 19: on a fresh host a rebuild installs the server packages first; the restore agent (the
 * pinned Node runtime, the bundle) goes up meanwhile, so the restore's own plan finds both and
 * uploads nothing inside the time to recovery. Real sshd (its Node is v20, below the supported
 * floor: the runtime is uploaded), the real runtime pieces and bundle; this machine has the
 * server packages the restore's probe then asks for.
 */
describe('the restore agent staged ahead of a restore onto another host', () => {
  let sshd: SshdServer;
  let work: WorkDir;
  let ssh: SshConnection;
  let remoteRoot: string;
  /** Every step the shell ran, by its name. */
  const steps: string[] = [];
  let shell: RemoteShell;

  beforeAll(async () => {
    sshd = await startSshd();
    work = makeWorkDir('restore-stage');
    remoteRoot = path.join(work.path, 'root');
    fs.mkdirSync(remoteRoot, { mode: 0o755 });
    ssh = await SshConnection.connect(
      { host: sshd.host, port: sshd.port, user: sshd.user },
      { privateKey: sshd.clientPrivateKey },
      sshd.hostFingerprint,
    );
    shell = new RemoteShell(ssh, true);
    for (const method of ['run', 'runWithInput', 'upload'] as const) {
      const original = (shell[method] as (...args: unknown[]) => Promise<unknown>).bind(shell);
      (shell as unknown as Record<string, unknown>)[method] = (
        step: string,
        ...rest: unknown[]
      ) => {
        steps.push(step);
        return original(step, ...rest);
      };
    }
  }, 120_000);

  afterAll(async () => {
    ssh?.close();
    await sshd?.stop();
    await work?.remove();
  });

  const stage = () =>
    stageRestoreAgent({
      shell,
      remoteRoot,
      bundlePath: AGENT_BUNDLE,
      runtime: nodeRuntimeSources,
    });

  it('puts the runtime and the bundle there, checked, before any server package is asked for', async () => {
    await stage();
    expect(steps).toContain('upload Node runtime');
    expect(steps).toContain('upload the restore agent');
    const layout = restoreHostLayout(remoteRoot);
    const version = execFileSync(layout.bundledNodePath, ['--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(`v${NODE_RUNTIME_VERSION}`);
    const sha = (file: string) =>
      crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(sha(layout.bundlePath)).toBe(sha(AGENT_BUNDLE));
    // The agent's folders are root's and traversable only, as the restore makes them.
    for (const dir of [layout.libDir, layout.stateDir]) {
      const st = fs.statSync(dir);
      expect([st.uid, st.mode & 0o777], dir).toEqual([0, 0o711]);
    }
  }, 120_000);

  it('staged once, neither a second staging nor the restore uploads anything again', async () => {
    steps.length = 0;
    await stage();
    const input = {
      shell,
      host: { name: 'new-host', detection: null } as unknown as Server,
      remoteRoot,
      sourceServerId: 'old-server',
      sourceName: 'db1',
      stanza: 'main',
      pgMajor: '15',
      verifyKey: 'ssh-ed25519 AAAA',
      storage: {
        endpoint: 'https://s3.example.com',
        bucket: 'b',
        region: 'eu-central-1',
        accessKeyId: 'k',
        secretAccessKey: 's',
      },
      cipherPass: 'c',
      resticPassword: null,
      bundlePath: AGENT_BUNDLE,
      runtime: nodeRuntimeSources,
    } as OtherHostInput;
    const prepared = await prepareOtherHost(input, crypto.randomUUID());
    expect(prepared.agent.node).toBe(restoreHostLayout(remoteRoot).bundledNodePath);
    expect(steps).toContain('check the destination host');
    expect(steps.filter((s) => /upload/.test(s))).toEqual([]);
  }, 120_000);
});
