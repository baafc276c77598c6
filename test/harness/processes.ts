import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { OutputTail } from './output-tail';
import type { ExitInfo, ManagedProcess, ProcessOptions } from './process-types';
import { descendantsOf } from './proc-table';
import { registerCleanup } from './registry';
import { describeCommand, spawnSettings } from './spawn-settings';
import { killSync, sendSignal, stopProcess } from './stop-process';

// The process helpers in one import: spawn a tracked server, run a command, stop by PID,
// and the global registry behind stopAll() and the exit hooks.
export * from './process-types';
export { pendingCleanups, registerCleanup, stopAll, stopOnSignalsInOrder } from './registry';
export { runCommand } from './run-command';
export { stopProcess } from './stop-process';

/**
 * Starts a long-running server in its own process group (detached), records its PID in the
 * global registry and keeps the tail of its output.
 * @throws Error when the executable cannot be started at all.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): ManagedProcess {
  const spawnOptions = spawnSettings(options);
  const child = spawn(command, args, {
    ...spawnOptions,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    child.on('error', () => undefined);
    throw new Error(`${name}: could not start ${describeCommand(command, args)}`);
  }
  const output = new OutputTail(options.tailLimit);
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  // A log that cannot be written must not fail the test run as an unhandled stream error.
  log?.on('error', (error) => output.push(`\n[harness] ${name} log: ${error.message}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output.push(chunk);
      if (log && !log.writableEnded) log.write(chunk);
    });
  }
  // Output can still arrive after 'exit' (the pipes drain until 'close'), so the log ends on
  // 'close'. Writing to it after end() was an unhandled ERR_STREAM_WRITE_AFTER_END that failed a
  // whole CI run (sshd printing as it was stopped in rebuild-from-kit).
  child.once('close', () => log?.end());
  let exitInfo: ExitInfo | undefined;
  let unregister = (): void => undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      unregister();
      resolve(exitInfo);
    });
  });
  child.on('error', (error) => output.push(`\n[harness] ${name}: ${error.message}\n`));

  const managed: ManagedProcess = {
    name,
    pid,
    child,
    output,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    exitReason() {
      if (!exitInfo) return undefined;
      const status = exitInfo.signal ? `signal ${exitInfo.signal}` : `code ${exitInfo.code}`;
      return `${name} (pid ${pid}) exited with ${status}. Output tail:\n${output.text(4_000)}`;
    },
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const existing = output.text().match(pattern);
        if (existing) return resolve(existing);
        let buffer = '';
        const finish = (error?: Error, match?: RegExpMatchArray): void => {
          clearTimeout(timer);
          unsubscribe();
          if (match) resolve(match);
          else reject(error);
        };
        const unsubscribe = output.onChunk((chunk) => {
          buffer = (buffer + chunk).slice(-16_384);
          const match = buffer.match(pattern);
          if (match) finish(undefined, match);
        });
        const timer = setTimeout(
          () =>
            finish(
              new Error(
                `${name}: no output matching ${pattern} after ${timeoutMs} ms:\n${output.text(4_000)}`,
              ),
            ),
          timeoutMs,
        );
        void exited.then(() => {
          // Give the final chunk a moment to arrive before declaring failure.
          setTimeout(() => finish(new Error(managed.exitReason())), 100);
        });
      });
    },
    stop(stopOptions) {
      return stopProcess(managed, stopOptions ?? options.defaultStop);
    },
  };
  unregister = registerCleanup({
    name: `${name} (pid ${pid})`,
    stop: () => managed.stop(),
    killNow: () => {
      const tree = descendantsOf(pid);
      sendSignal(pid, 'SIGKILL', true);
      killSync([pid, ...tree]);
    },
  });
  return managed;
}
