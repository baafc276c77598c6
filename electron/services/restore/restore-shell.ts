import type { ErrorCode } from '../../../shared/contract';
import { AppError } from '../app-error';
import { RemoteShell, shq } from '../agent-install/remote-shell';
import type { SshConnection } from '../ssh/connection';

export { shq };

/** Options of {@link RestoreShell.run}. */
export interface RestoreRunOptions {
  /** Run as this OS user (postgres for everything PostgreSQL and pgBackRest do). */
  asUser?: string;
  signal?: AbortSignal;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  /** Error code when the script fails (default RESTORE_FAILED). */
  code?: ErrorCode;
}

/** What a script printed and how it ended. */
export interface RestoreRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The installer's RemoteShell (root or `sudo -n`, `runuser` for the cluster's OS user, scripts
 * on stdin so no secret shows in a process list) with restore's own error code: a failed step
 * is RESTORE_FAILED naming the step and the tail of its output — never the script, which may
 * carry S3 keys.
 */
export class RestoreShell {
  private readonly shell: RemoteShell;

  constructor(
    readonly ssh: SshConnection,
    readonly isRoot: boolean,
  ) {
    this.shell = new RemoteShell(ssh, isRoot);
  }

  async run(
    step: string,
    script: string,
    options: RestoreRunOptions = {},
  ): Promise<RestoreRunResult> {
    const result = await this.shell.run(step, script, {
      asUser: options.asUser,
      signal: options.signal,
      allowFailure: true,
    });
    if (result.code !== 0 && !options.allowFailure) {
      const detail = (result.stderr || result.stdout).trim().split('\n').slice(-8).join('\n');
      throw new AppError(
        options.code ?? 'RESTORE_FAILED',
        `Step "${step}" failed (exit ${result.code}): ${detail}`,
        { step },
      );
    }
    return result;
  }

  /**
   * Writes several files atomically in one round trip (each through a quoted heredoc, never
   * interpreted by the shell), as root, then owned and moded as asked.
   */
  async writeFiles(
    step: string,
    files: { path: string; content: string; owner?: string; mode?: string }[],
    signal?: AbortSignal,
  ): Promise<void> {
    const marker = `KUMIKO_EOF_${Math.random().toString(36).slice(2)}`;
    const lines = ['umask 077'];
    for (const file of files) {
      if (file.content.includes(marker)) throw new AppError('INTERNAL', 'heredoc marker collision');
      const tmp = `${file.path}.kumiko-tmp`;
      lines.push(
        `cat > ${shq(tmp)} <<'${marker}'`,
        file.content.endsWith('\n') ? file.content.slice(0, -1) : file.content,
        marker,
        file.owner ? `chown ${shq(file.owner)} ${shq(tmp)}` : ':',
        `chmod ${file.mode ?? '600'} ${shq(tmp)}`,
        `mv -f ${shq(tmp)} ${shq(file.path)}`,
      );
    }
    await this.run(step, lines.join('\n'), { signal });
  }

  /** Writes a file atomically (quoted heredoc, never interpreted by the shell). */
  async writeFile(
    step: string,
    path: string,
    content: string,
    options: { owner?: string; mode?: string; signal?: AbortSignal } = {},
  ): Promise<void> {
    try {
      await this.shell.writeFile(step, path, content, options);
    } catch (err) {
      if (err instanceof AppError && err.code === 'CANCELLED') throw err;
      throw new AppError('RESTORE_FAILED', err instanceof Error ? err.message : String(err), {
        step,
      });
    }
  }
}
