import type { AgentInstallPlan } from '../../shared/contract';

/**
 * `kumiko agent plan` for a terminal: what changes, then every script install sends, in order,
 * with its user, why it needs root, its SHA-256 and its exact text (secrets as placeholders).
 * `--json` prints the same plan as JSON instead.
 */
export function formatPlan(plan: AgentInstallPlan): string {
  const lines = [
    `PostgreSQL ${plan.cluster.version} in ${plan.cluster.dataDirectory}, port ${plan.cluster.port}`,
    `Restart required: ${plan.restartRequired ? 'yes' : 'no'}`,
    `Packages to install: ${plan.packagesToInstall.join(', ') || 'none'}`,
    ...plan.settingsToChange.map((s) => `Setting ${s.name}: ${s.from ?? '(not set)'} -> ${s.to}`),
    ...plan.warnings.map((w) => `Warning: ${w}`),
    `Agent program: ${plan.agentBundle.bytes} bytes, SHA-256 ${plan.agentBundle.sha256} (runs as root)`,
    '',
    `Scripts, in order (${plan.scripts.length}; secrets shown as <secret: ...>):`,
  ];
  plan.scripts.forEach((s, i) => {
    lines.push(
      '',
      `${i + 1}. ${s.name} [${s.runAs === 'root' ? 'root' : `as ${s.osUser}`}]${s.onlyIfRuntimeDiffers ? ' (only if the server lacks this Node.js runtime)' : ''}`,
      `   ${s.what}`,
      ...(s.whyRoot ? [`   Why root: ${s.whyRoot}`] : []),
      `   Read by: ${s.command}`,
      ...(s.payload
        ? [
            `   Data on stdin: ${s.payload.name}, ${s.payload.bytes} bytes, SHA-256 ${s.payload.sha256}`,
          ]
        : []),
      `   SHA-256: ${s.sha256}`,
      '   ----- script -----',
      s.script.replace(/\n$/, ''),
      '   ------------------',
    );
  });
  return `${lines.join('\n')}\n`;
}
