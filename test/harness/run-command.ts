import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { registerCleanup } from './registry';
import type { CommandResult, ExitInfo, RunOptions } from './process-types';
import { spawnSettings, describeCommand } from './spawn-settings';
import { sendSignal, stopProcess } from './stop-process';

/**
 * Runs a command to completion and collects its whole stdout and stderr. The command runs in
 * its own process group and is registered while it runs, so a hung command is killed by
 * stopAll() or after `timeoutMs`.
 * @throws Error (with stderr) when `check` is on (default) and it fails or times out.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const { input, timeoutMs = 120_000, check = true } = options;
  const name = options.name ?? command;
  const spawnOptions = spawnSettings(options);
  const child = spawn(command, args, {
    ...spawnOptions,
    detached: true,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  if (log) {
    log.on('error', () => undefined); // the log is a convenience; it must never fail a test
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
  }
  if (input !== undefined && child.stdin) {
    // EPIPE when the command exits without reading everything is reported via its exit code.
    child.stdin.on('error', () => undefined);
    if (typeof input === 'string' || Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
  }

  let timedOut = false;
  const pid = child.pid;
  const unregister =
    pid === undefined
      ? () => undefined
      : registerCleanup({
          name: `${name} (pid ${pid})`,
          stop: () => stopProcess(child, { timeoutMs: 2_000 }),
          killNow: () => sendSignal(pid, 'SIGKILL', true),
        });
  const timer = setTimeout(() => {
    timedOut = true;
    void stopProcess(child, { timeoutMs: 2_000 });
  }, timeoutMs);

  // Prefer 'close' (all output read); but a daemon forked by the command may keep our pipes
  // open forever, so after 'exit' we wait only a short grace period for it.
  const { code, signal, spawnError } = await new Promise<ExitInfo & { spawnError?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
      child.once('exit', (code, signal) => {
        setTimeout(() => resolve({ code, signal }), 2_000).unref();
      });
    },
  );
  clearTimeout(timer);
  unregister();
  if (log) {
    // A daemon the command forked may still hold our pipes: stop feeding the log before ending
    // it, or its next line is a write after end.
    child.stdout?.unpipe(log);
    child.stderr?.unpipe(log);
    log.end();
  }

  const result: CommandResult = {
    code,
    signal,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    timedOut,
  };
  if (check && (spawnError || timedOut || code !== 0)) {
    const why = spawnError
      ? `could not start: ${spawnError.message}`
      : timedOut
        ? `timed out after ${timeoutMs} ms`
        : signal
          ? `was killed by ${signal}`
          : `exited with code ${code}`;
    const detail = (result.stderr.trim() || result.stdout.trim()).slice(-4_000);
    throw new Error(`${name} ${why}: ${describeCommand(command, args)}\n${detail}`);
  }
  return result;
}
