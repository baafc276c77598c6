import type { AgentUninstallResult } from '../../shared/contract';

const shown = (value: string | null) => (value === null ? 'no line' : `'${value}'`);

/** What `kumiko agent uninstall` did, in plain sentences (the JSON has the same facts). */
export function formatUninstall(result: AgentUninstallResult): string {
  const lines = ['The agent is removed; every backup stays in the bucket.'];
  if (!result.recordFound) {
    lines.push(
      'No record of the settings before install was found: the lines install writes were taken out of postgresql.auto.conf, so PostgreSQL’s own configuration files decide again.',
    );
  }
  for (const r of result.restored) {
    lines.push(
      `  ${r.name}: postgresql.auto.conf has ${shown(r.autoConf)} again; PostgreSQL runs with '${r.now}' (before install: '${r.before}').`,
    );
  }
  for (const l of result.left) {
    lines.push(
      `  ${l.name}: left as it is (${shown(l.autoConf)}), because it was changed after install.`,
    );
  }
  if (!result.autoConfOrderKept) {
    lines.push(
      'The values in postgresql.auto.conf are as before, but not all lines stand in their old order.',
    );
  }
  if (result.restarted) lines.push('PostgreSQL was restarted.');
  if (result.restartPending) {
    lines.push(
      'PostgreSQL still needs a restart to turn WAL archiving off: restart it when it suits you (or run this again with --confirm-restart next time).',
    );
  }
  for (const i of result.interim) {
    lines.push(
      `  Until that restart ${i.name} is '${i.value}', so PostgreSQL does not keep WAL for an archiver that is gone. After the restart run: ALTER SYSTEM RESET ${i.name}; SELECT pg_reload_conf();`,
    );
  }
  return `${lines.join('\n')}\n`;
}
