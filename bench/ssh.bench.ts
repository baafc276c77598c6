import { spawn } from 'node:child_process';
import { SshConnection } from '../electron/services/ssh/connection';
import { startSshd } from '../test/harness';
import { median, round, timeRuns } from './measure';
import type { BenchSuite } from './suites';

/**
 * Remote command round trip: our ssh2 connection against OpenSSH's own client (the anchor),
 * both running `true` on the harness sshd. Connection setup and one exec each, so detection
 * and every agent command pay the same.
 */
export const sshSuite: BenchSuite = {
  name: 'ssh',
  description: 'connect + exec round trip: ours (ssh2) vs OpenSSH client',
  async run(log) {
    const sshd = await startSshd();
    try {
      const target = { host: sshd.host, port: sshd.port, user: sshd.user };
      const ours = await timeRuns(async () => {
        const connection = await SshConnection.connect(
          target,
          { privateKey: sshd.clientPrivateKey },
          sshd.hostFingerprint,
        );
        await connection.exec('true');
        connection.close();
      }, 15);
      log(`ours: ${ours.map((v) => v.toFixed(1)).join(' ')} ms`);
      const anchor = await timeRuns(
        () =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(
              'ssh',
              [
                '-i',
                sshd.clientPrivateKeyPath,
                '-p',
                String(sshd.port),
                '-o',
                `UserKnownHostsFile=${sshd.knownHostsPath}`,
                '-o',
                'StrictHostKeyChecking=yes',
                '-o',
                'BatchMode=yes',
                `root@${sshd.host}`,
                'true',
              ],
              { stdio: 'ignore' },
            );
            child.on('close', (code) =>
              code === 0 ? resolve() : reject(new Error(`ssh exited ${code}`)),
            );
          }),
        15,
      );
      log(`openssh: ${anchor.map((v) => v.toFixed(1)).join(' ')} ms`);
      // Within one exec, a session's remote work can't be faster than a TCP + key exchange;
      // the OpenSSH client is the practical limit here.
      return {
        'ssh.exec_roundtrip_ms': round(median(ours), 1),
        'ssh.openssh_roundtrip_ms': round(median(anchor), 1),
        'ssh.exec_vs_openssh': round(median(ours) / median(anchor)),
      };
    } finally {
      await sshd.stop();
    }
  },
};
