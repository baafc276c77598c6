import fs from 'node:fs';
import path from 'node:path';
import { handSettingsScript, q, startUntilPromotedScript } from './hand-restore';
import type { FreshHost } from './fresh-host';

/**
 * The rebuild benchmark's anchor on a fresh host, as issue 19 words it: "package install +
 * `pgbackrest restore` + replay + start", typed by an admin who knows the shortcuts: the
 * packages with apt (the distribution's empty "main" cluster turned off, as the rebuild does),
 * the same repository config, the restore to the newest archived WAL, the cluster started on its
 * own port until it is promoted. No verification, no attached files, no capture.
 */

/** The agent's pgBackRest config made fit for the fresh host: its CA file beside it. */
export function prepareHandConfig(
  host: FreshHost,
  agentConf: string,
  stanza: string,
  dataDir: string,
): string {
  const dir = path.join(host.root, 'etc/kumiko-hand');
  fs.mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const [, global = ''] = /\[global\]\n([^[]*)/.exec(fs.readFileSync(agentConf, 'utf8')) ?? [];
  for (const line of global.split('\n')) {
    // The agent's own folders are not on this host: the hand restore names its own.
    if (/^(spool|lock|log)-path=/.test(line)) continue;
    const ca = /^repo1-storage-ca-file=(.*)$/.exec(line);
    if (ca?.[1]) {
      fs.copyFileSync(ca[1], path.join(dir, 'ca.pem'));
      lines.push('repo1-storage-ca-file=/etc/kumiko-hand/ca.pem');
      continue;
    }
    lines.push(line);
  }
  // A throwaway host of the benchmark: readable by postgres, who exists only after the install.
  const conf = path.join(dir, 'pgbackrest.conf');
  fs.writeFileSync(
    conf,
    `[global]\n${lines.join('\n').trim()}\n\n[${stanza}]\npg1-path=${dataDir}\n`,
    {
      mode: 0o644,
    },
  );
  return '/etc/kumiko-hand/pgbackrest.conf';
}

/** The packages, timed on their own; resolves their seconds. */
export async function installByHand(host: FreshHost, pgMajor: string): Promise<number> {
  const started = Date.now();
  await host.sh(
    [
      'export DEBIAN_FRONTEND=noninteractive',
      'mkdir -p /etc/postgresql-common/createcluster.d',
      "echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/hand.conf",
      `apt-get install -y -q --no-install-recommends postgresql-${pgMajor} pgbackrest >/dev/null`,
      'install -d -m 2775 -o postgres -g postgres /var/run/postgresql',
    ].join('\n'),
  );
  return (Date.now() - started) / 1000;
}

/** `pgbackrest restore` to the newest WAL, then the start until promoted. */
export async function restoreAndStartByHand(
  host: FreshHost,
  options: {
    conf: string;
    stanza: string;
    label: string;
    dataDir: string;
    pgMajor: string;
    port: number;
  },
): Promise<void> {
  const { conf, stanza, label, dataDir, pgMajor, port } = options;
  const bin = `/usr/lib/postgresql/${pgMajor}/bin`;
  const work = '/var/lib/postgresql/hand';
  await host.sh(
    [
      `mkdir -p -m 700 ${q(work)} ${q(dataDir)}`,
      `pgbackrest --config=${q(conf)} --stanza=${q(stanza)} --lock-path=${q(work)} --log-path=${q(work)} --spool-path=${q(work)} restore --pg1-path=${q(dataDir)} --set=${q(label)} --type=default --archive-mode=off`,
      // When pgBackRest ended, for the split the bench logs.
      `date +%s.%N > ${q(`${work}/restored-at`)}`,
      handSettingsScript({ dataDir, port, socketDir: '/var/run/postgresql' }),
      startUntilPromotedScript({
        binDir: bin,
        dataDir,
        logFile: `${work}/postgres.log`,
        socketDir: '/var/run/postgresql',
        port,
      }),
    ].join('\n'),
    'postgres',
  );
}
