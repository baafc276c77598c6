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
  // Asked on first use: loading ICU's time zone data takes ~30 ms, and most commands never
  // need it (a snapshot asks while its backup runs).
  let timeZone: string | undefined;
  return {
    config,
    paths: statePaths(config.stateDir),
    log,
    signal: options.signal,
    now: options.now ?? (() => new Date()),
    get timeZone() {
      timeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      return timeZone;
    },
  };
}
