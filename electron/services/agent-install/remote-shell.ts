import crypto from 'node:crypto';
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
  /**
   * The same script with every secret replaced by its placeholder (install-steps.ts): what
   * {@link SentScript} reports instead of the text sent. Required for scripts holding secrets.
   */
  redacted?: string;
}

/** One script the shell sent, as a listener sees it: secrets already replaced. */
export interface SentScript {
  step: string;
  runAs: 'root' | 'cluster-user';
  /** `stdin`: the text is the script `sh -s` reads; `upload`: the `sh -c` script, data on stdin. */
  kind: 'stdin' | 'upload';
  /** The script text (redacted where it held secrets). */
  text: string;
  /** For uploads: the SHA-256 (hex) of the data sent on stdin. */
  payloadSha256?: string;
}

/** The text `sh -s` reads for `script`: what {@link RemoteShell.run} sends on stdin. */
export function scriptBody(script: string): string {
  return `set -e\n${script}\n`;
}

/**
 * The heredoc end marker of {@link writeFileScript}. Fixed, so the script for the same file
 * is the same text every time (its SHA-256 is shown in the install review); content with a
 * line equal to it is refused.
 */
export const HEREDOC_MARKER = 'KUMIKO_EOF_7f3c9a';

/**
 * A script that writes `content` atomically with the given owner and mode. The content goes
 * through a quoted heredoc, so it is never interpreted by the shell.
 */
export function writeFileScript(
  path: string,
  content: string,
  options: { owner?: string; mode?: string } = {},
): string {
  if (content.split('\n').includes(HEREDOC_MARKER))
    throw new AppError('INTERNAL', 'heredoc marker collision');
  const tmp = `${path}.kumiko-tmp`;
  return [
    `umask 077`,
    `cat > ${shq(tmp)} <<'${HEREDOC_MARKER}'`,
    content.endsWith('\n') ? content.slice(0, -1) : content,
    HEREDOC_MARKER,
    options.owner ? `chown ${shq(options.owner)} ${shq(tmp)}` : ':',
    `chmod ${options.mode ?? '600'} ${shq(tmp)}`,
    `mv -f ${shq(tmp)} ${shq(path)}`,
  ].join('\n');
}

/**
 * The `sh -c` script of an upload of `bytes` bytes to `path`: the data arrives on stdin.
 * A channel closed early (cancel, lost link) ends cat's input like a finished upload would:
 * the size check keeps a truncated file from ever taking the real name.
 */
export function uploadScript(path: string, bytes: number, mode = '755'): string {
  const tmp = `${path}.kumiko-tmp`;
  return [
    `set -e`,
    `umask 022 && cat > ${shq(tmp)}`,
    `if [ "$(wc -c < ${shq(tmp)})" -ne ${bytes} ]; then rm -f ${shq(tmp)}; echo "upload truncated" >&2; exit 1; fi`,
    `chmod ${mode} ${shq(tmp)} && mv -f ${shq(tmp)} ${shq(path)}`,
  ].join('\n');
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
  /** Told of every script before it is sent (the install job records their SHA-256). */
  onSent?: (sent: SentScript) => void;

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
    const body = scriptBody(script);
    this.onSent?.({
      step,
      runAs: options.asUser ? 'cluster-user' : 'root',
      kind: 'stdin',
      text: options.redacted === undefined ? body : scriptBody(options.redacted),
    });
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

  /** Writes a file atomically with the given owner and mode ({@link writeFileScript}). */
  async writeFile(
    step: string,
    path: string,
    content: string,
    options: {
      owner?: string;
      mode?: string;
      signal?: AbortSignal;
      /** `content` with its secrets replaced by placeholders (see {@link RunOptions.redacted}). */
      redactedContent?: string;
    } = {},
  ): Promise<void> {
    await this.run(step, writeFileScript(path, content, options), {
      signal: options.signal,
      ...(options.redactedContent === undefined
        ? {}
        : { redacted: writeFileScript(path, options.redactedContent, options) }),
    });
  }

  /** Uploads a (large) file through the exec channel's stdin, atomically. */
  async upload(
    step: string,
    path: string,
    content: Buffer | string,
    mode = '755',
    signal?: AbortSignal,
  ): Promise<void> {
    await this.runWithInput(step, uploadScript(path, Buffer.byteLength(content), mode), content, {
      signal,
    });
  }

  /**
   * Runs `script` (`sh -c`) with `input` on its stdin: a payload the script reads (an upload);
   * throws with stderr on failure. `onInputSent` hears when the payload went to the link.
   */
  async runWithInput(
    step: string,
    script: string,
    input: Buffer | string,
    options: { signal?: AbortSignal; onInputSent?: () => void } = {},
  ): Promise<void> {
    this.onSent?.({
      step,
      runAs: 'root',
      kind: 'upload',
      text: script,
      payloadSha256: crypto.createHash('sha256').update(input).digest('hex'),
    });
    const result = await this.ssh.exec(`${this.rootPrefix}sh -c ${shq(script)}`, {
      stdin: input,
      signal: options.signal,
      onStdinSent: options.onInputSent,
    });
    if (result.code !== 0) {
      throw new AppError('AGENT_INSTALL_FAILED', `Step "${step}" failed: ${result.stderr.trim()}`, {
        step,
      });
    }
  }
}
