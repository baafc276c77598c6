import type { AgentConfig } from '../../shared/agent/config';
import { AgentError } from '../runtime/errors';
import { runTool, type ToolResult } from '../runtime/exec';
import {
  parseInfoOutput,
  PgBackRestInfoJson,
  readableRepoMessage,
  type PgBackRestStanzaInfo,
} from './pgbackrest-info';

/**
 * How long pgBackRest waits on the repository for `info`. The default (60 s, retried) makes
 * `info` hang about 180 s when S3 is down; 5 s lets a heartbeat report the outage in ~20 s.
 */
export const INFO_IO_TIMEOUT_SECONDS = 5;

/** What `pgbackrest info` said about the stanza, or why it could not say anything. */
export interface RepositoryInfo {
  /** False when pgBackRest could not read the repository (status 99, a crash, bad JSON). */
  reachable: boolean;
  /** status.code; null when no JSON came back at all. */
  statusCode: number | null;
  message: string;
  /** The stanza as pgBackRest reported it (empty lists when unreachable). */
  stanza: PgBackRestStanzaInfo | null;
  /** pgBackRest's JSON as printed (evidence for drill reports); '' when none came back. */
  output: string;
}

/** Options for the pgBackRest runs. */
export interface PgBackRestRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  onStderr?: (chunk: string) => void;
  /** See RunToolOptions.lowPriority. */
  lowPriority?: boolean;
  /** See RunToolOptions.skipDiskSync: only for restores into a throwaway environment. */
  skipDiskSync?: boolean;
}

/**
 * Runs `pgbackrest --config=… --stanza=… <args>` as the cluster's OS user (never root).
 * @throws AgentError naming `step` on a non-zero exit.
 */
export function pgbackrest(
  config: AgentConfig,
  args: readonly string[],
  step: string,
  options: PgBackRestRunOptions & { check?: boolean } = {},
): Promise<ToolResult> {
  return runTool(
    'pgbackrest',
    [`--config=${config.pgbackrest.configPath}`, `--stanza=${config.stanza}`, ...args],
    { runAs: config.pg.osUser, step, ...options },
  );
}

/**
 * `pgbackrest info --output=json`. It exits 0 even when the repository is unreachable, so the
 * answer is read from status.code (99 = error, with the reason in repo[].status.message).
 * Never throws: an unreadable answer is reported as unreachable.
 */
export async function repositoryInfo(
  config: AgentConfig,
  options: PgBackRestRunOptions = {},
): Promise<RepositoryInfo> {
  let result: ToolResult;
  try {
    result = await pgbackrest(
      config,
      ['info', '--output=json', `--io-timeout=${INFO_IO_TIMEOUT_SECONDS}`],
      'pgbackrest info',
      { check: false, timeoutMs: 120_000, ...options },
    );
  } catch (error) {
    return {
      reachable: false,
      statusCode: null,
      message: (error as Error).message,
      stanza: null,
      output: '',
    };
  }
  let stanza: PgBackRestStanzaInfo | undefined;
  try {
    const parsed = PgBackRestInfoJson.safeParse(parseInfoOutput(result.stdout));
    stanza = parsed.success ? parsed.data.find((s) => s.name === config.stanza) : undefined;
  } catch {
    stanza = undefined;
  }
  if (!stanza) {
    const why = result.stderr.trim().split('\n').slice(-3).join(' ') || 'no usable output';
    return {
      reachable: false,
      statusCode: null,
      message: `pgbackrest info exited with code ${result.code}: ${why}`,
      stanza: null,
      output: result.stdout,
    };
  }
  const repoMessage = stanza.repo.find((r) => r.status.code !== 0)?.status.message;
  const message = readableRepoMessage(
    stanza.status.code === 0 ? stanza.status.message : (repoMessage ?? stanza.status.message),
    stanza.cipher !== undefined && stanza.cipher !== 'none',
  );
  return {
    reachable: stanza.status.code !== 99,
    statusCode: stanza.status.code,
    message,
    stanza,
    output: result.stdout,
  };
}

/**
 * `repositoryInfo` for commands that cannot go on without the repository.
 * @throws AgentError when the repository is unreachable or the stanza is unusable.
 */
export async function requireRepositoryInfo(
  config: AgentConfig,
  step: string,
  options: PgBackRestRunOptions = {},
): Promise<PgBackRestStanzaInfo> {
  return usableStanza(await repositoryInfo(config, options), step);
}

/**
 * The stanza of an info answer, if the repository is usable.
 * @throws AgentError naming `step` when it is unreachable or the stanza is unusable.
 */
export function usableStanza(info: RepositoryInfo, step: string): PgBackRestStanzaInfo {
  // 2 = "no valid backups" is fine: the first snapshot makes one.
  if (!info.stanza || (info.statusCode !== 0 && info.statusCode !== 2)) {
    throw new AgentError(
      step,
      `repository not usable (status ${info.statusCode}): ${info.message}`,
    );
  }
  return info.stanza;
}

/**
 * pgBackRest writes secrets in its logged command line as `<redacted>`; as `***` they read the
 * same to people and are what the report's secret guard knows to be no secret.
 */
export function withRedactionMarks(text: string): string {
  return text.replace(/=<redacted>/g, '=***');
}
