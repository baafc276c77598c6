import type { AgentConfig } from '../../shared/agent/config';
import type { Logger } from './log';
import { statePaths, type StatePaths } from './state-paths';

/** What every agent command gets: config, state files, logger, cancellation, a clock. */
export interface AgentContext {
  readonly config: AgentConfig;
  readonly paths: StatePaths;
  readonly log: Logger;
  /** Aborted when the daemon is asked to stop; tools started under it are killed. */
  readonly signal?: AbortSignal;
  /** The clock. Retention accepts `--now` so a plan can be previewed (and tested) for a later day. */
  now(): Date;
  /** The server's IANA time zone: days, weeks and months of retention are local. */
  readonly timeZone: string;
}

/** A context for `config` with the real clock and the server's time zone. */
export function makeContext(
  config: AgentConfig,
  log: Logger,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): AgentContext {
  return {
    config,
    paths: statePaths(config.stateDir),
    log,
    signal: options.signal,
    now: options.now ?? (() => new Date()),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  };
}
