import { AppError } from '../app-error';
import { shq } from './restore-shell';
import type { RestoreSite } from './restore-site';
import type { ScratchPaths } from './scratch-paths';
import {
  MINIMAL_POSTGRESQL_CONF,
  parseControlData,
  rewriteAutoConf,
  scratchHba,
  scratchSettings,
} from '../../../shared/restore/scratch-settings';

/** What the restored data directory holds, read in one round trip. */
interface RestoredFiles {
  pgVersion: string;
  controlData: Map<string, string>;
  autoConf: string;
  hasPostgresqlConf: boolean;
  hba: string | null;
}

const SECTION = '@@KUMIKO@@';

async function readRestored(
  site: RestoreSite,
  paths: ScratchPaths,
  signal?: AbortSignal,
): Promise<RestoredFiles> {
  const d = shq(paths.data);
  const out = await site.shell.run(
    'read the restored data directory',
    [
      `echo ${SECTION}version; cat ${d}/PG_VERSION`,
      `echo ${SECTION}control; ${shq(`${site.binDirectory}/pg_controldata`)} ${d}`,
      `echo ${SECTION}auto; cat ${d}/postgresql.auto.conf 2>/dev/null || true`,
      `echo ${SECTION}conf; [ -f ${d}/postgresql.conf ] && echo yes || echo no`,
      `echo ${SECTION}hba; [ -f ${d}/pg_hba.conf ] && cat ${d}/pg_hba.conf || echo ${SECTION}none`,
    ].join('\n'),
    { asUser: site.osUser, signal },
  );
  const parts = new Map<string, string>();
  for (const chunk of out.stdout.split(SECTION).slice(1)) {
    const nl = chunk.indexOf('\n');
    parts.set(chunk.slice(0, nl), chunk.slice(nl + 1));
  }
  const hba = parts.get('hba') ?? '';
  return {
    pgVersion: (parts.get('version') ?? '').trim(),
    controlData: parseControlData(parts.get('control') ?? ''),
    autoConf: parts.get('auto') ?? '',
    hasPostgresqlConf: (parts.get('conf') ?? '').trim() === 'yes',
    hba: hba.startsWith('none') ? null : hba,
  };
}

/**
 * Turns the restored data directory into a scratch cluster: its own port, socket, pg_hba and
 * log, no archiving (DESIGN.md §7). Refuses a backup of another major version than the
 * binaries this host runs.
 */
export async function configureScratch(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  id: string,
  signal?: AbortSignal,
): Promise<void> {
  const restored = await readRestored(site, paths, signal);
  const major = site.pgVersion.split('.')[0];
  if (restored.pgVersion !== major) {
    throw new AppError(
      'RESTORE_FAILED',
      `The backup is PostgreSQL ${restored.pgVersion || '?'}, but this host runs PostgreSQL ${major} binaries (${site.binDirectory}).`,
    );
  }
  const hbaFile = `${paths.root}/pg_hba.conf`;
  const settings = scratchSettings({
    port,
    socketDirectory: paths.socket,
    clusterName: `kumiko-scratch-${id.slice(0, 8)}`,
    hbaFile,
    controlData: restored.controlData,
  });
  const own = { owner: site.osUser, mode: '600' };
  await site.shell.writeFiles(
    'write the scratch settings',
    [
      { path: hbaFile, content: scratchHba(site.osUser, restored.hba), ...own },
      ...(restored.hasPostgresqlConf
        ? []
        : [{ path: `${paths.data}/postgresql.conf`, content: MINIMAL_POSTGRESQL_CONF, ...own }]),
      {
        path: `${paths.data}/postgresql.auto.conf`,
        content: rewriteAutoConf(
          restored.autoConf,
          settings,
          `Scratch cluster ${id} (Kumiko Recovery): never archives, own port and socket`,
        ),
        ...own,
      },
    ],
    signal,
  );
}
