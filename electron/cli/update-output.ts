import type { AgentUpdateResult, AgentUpdateReview } from '../../shared/contract';

const version = (v: string | null) => v ?? 'unknown';

/** `kumiko agent update --review`: what the update would change, in plain sentences. */
export function formatUpdateReview(review: AgentUpdateReview): string {
  if (review.current)
    return `The agent is current (${version(review.installedVersion)}); nothing to update.\n`;
  return [
    `Agent ${version(review.installedVersion)} -> ${review.bundledVersion} (sha256 ${review.bundledSha256})`,
    `Replaces: ${review.replaces.join(', ')}`,
    `Keeps unchanged: ${review.keeps.join(', ')}`,
    `Restarts the agent's ${review.scheduler === 'systemd' ? 'systemd service' : 'daemon'}: recovery points, heartbeats and drills pause for a few seconds; WAL archiving goes on.`,
    '',
  ].join('\n');
}

/** What `kumiko agent update` did (the JSON has the same facts). */
export function formatUpdate(result: AgentUpdateResult): string {
  if (!result.updated)
    return `The agent was already current (${version(result.toVersion)}); nothing changed.\n`;
  return `Updated the agent from ${version(result.fromVersion)} to ${version(result.toVersion)}; it was paused ${result.pausedSeconds} s; its settings are unchanged.\n`;
}
