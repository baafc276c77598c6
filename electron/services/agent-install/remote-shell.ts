import { shq } from '../../../shared/shell-quote';
import { AppError } from '../app-error';
import type { SshConnection } from '../ssh/connection';

// Re-exported: the installer's modules quote through this file.
export { shq };

export interface RunOptions {
  /** Run as this OS user (e.g. postgres) instead of root. */
  asUser?: string;
  stdin?: string;
  signal?: AbortSignal;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs shell scripts on the server with the privileges the installer needs: as root when the
 * login is root, through `sudo -n` otherwise (never prompting), and as the cluster's OS user
 * through `runuser` for everything PostgreSQL and pgBackRest do. Scripts travel on stdin, so
 * nothing needs quoting for a remote login shell and no secret appears in a process list.
 */
export class RemoteShell {
  constructor(
    private readonly ssh: SshConnection,
    private readonly isRoot: boolean,
  ) {}

  private get rootPrefix(): string {
    return this.isRoot ? '' : 'sudo -n ';
  }

  /** Runs `script` (sh, `set -e`) and returns its output; throws with stderr on failure. */
  async run(step: string, script: string, options: RunOptions = {}): Promise<RunResult> {
    const runner = options.asUser
      ? `${this.rootPrefix}runuser -u ${shq(options.asUser)} -- sh -s`
      : `${this.rootPrefix}sh -s`;
    const body = `set -e\n${script}\n`;
    // Scripts that need their own stdin data get it through a heredoc inside the script.
    const result = await this.ssh.exec(runner, { stdin: body, signal: options.signal });
    if (result.code !== 0 && !options.allowFailure) {
      const detail = (result.stderr || result.stdout).trim().split('\n').slice(-8).join('\n');
      throw new AppError(
        'AGENT_INSTALL_FAILED',
        `Step "${step}" failed (exit ${result.code}): ${detail}`,
        {
          step,
        },
      );
    }
    return result;
  }

  /**
   * Writes a file atomically with the given owner and mode. The content goes through a
   * quoted heredoc, so it is never interpreted by the shell.
   */
  async writeFile(
    step: string,
    path: string,
    content: string,
    options: { owner?: string; mode?: string; signal?: AbortSignal } = {},
  ): Promise<void> {
    const marker = `KUMIKO_EOF_${Math.random().toString(36).slice(2)}`;
    if (content.includes(marker)) throw new AppError('INTERNAL', 'heredoc marker collision');
    const tmp = `${path}.kumiko-tmp`;
    await this.run(
      step,
      [
        `umask 077`,
        `cat > ${shq(tmp)} <<'${marker}'`,
        content.endsWith('\n') ? content.slice(0, -1) : content,
        marker,
        options.owner ? `chown ${shq(options.owner)} ${shq(tmp)}` : ':',
        `chmod ${options.mode ?? '600'} ${shq(tmp)}`,
        `mv -f ${shq(tmp)} ${shq(path)}`,
      ].join('\n'),
      { signal: options.signal },
    );
  }

  /** Uploads a (large) file through the exec channel's stdin, atomically. */
  async upload(
    step: string,
    path: string,
    content: Buffer | string,
    mode = '755',
    signal?: AbortSignal,
  ): Promise<void> {
    const tmp = `${path}.kumiko-tmp`;
    const bytes = Buffer.byteLength(content);
    // A channel closed early (cancel, lost link) ends cat's input like a finished upload would:
    // the size check keeps a truncated file from ever taking the real name.
    const script = [
      `set -e`,
      `umask 022 && cat > ${shq(tmp)}`,
      `if [ "$(wc -c < ${shq(tmp)})" -ne ${bytes} ]; then rm -f ${shq(tmp)}; echo "upload truncated" >&2; exit 1; fi`,
      `chmod ${mode} ${shq(tmp)} && mv -f ${shq(tmp)} ${shq(path)}`,
    ].join('\n');
    const result = await this.ssh.exec(`${this.rootPrefix}sh -c ${shq(script)}`, {
      stdin: content,
      signal,
    });
    if (result.code !== 0) {
      throw new AppError('AGENT_INSTALL_FAILED', `Step "${step}" failed: ${result.stderr.trim()}`, {
        step,
      });
    }
  }
}
