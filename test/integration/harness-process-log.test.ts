import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkDir, runCommand, spawnManaged, stopAll, type WorkDir } from '../harness';

// A process's output can arrive after its 'exit' event: the pipes drain until 'close', and a
// child it forked keeps writing to them. The harness's log files once ended on 'exit', so the
// next line was a write after end: an unhandled ERR_STREAM_WRITE_AFTER_END that failed a whole
// CI run although every test passed (sshd printing while rebuild-from-kit stopped it).

const dirs: WorkDir[] = [];
afterAll(async () => {
  await stopAll();
  for (const dir of dirs) await dir.remove();
});

function tempDir(prefix: string): string {
  const dir = makeWorkDir(prefix);
  dirs.push(dir);
  return dir.path;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('harness process logs', () => {
  it('spawnManaged keeps logging what a forked child prints after the process exited', async () => {
    const dir = tempDir('proc-log');
    const logFile = path.join(dir, 'server.log');
    const proc = spawnManaged(
      'forker',
      '/bin/sh',
      ['-c', 'echo early; (sleep 0.5; echo late) & exit 0'],
      {
        logFile,
      },
    );
    await proc.exited;
    await sleep(1_500);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('early');
    expect(log).toContain('late');
  });

  it('runCommand ends its log without failing when a forked daemon prints after the grace period', async () => {
    const dir = tempDir('run-log');
    const logFile = path.join(dir, 'command.log');
    const result = await runCommand(
      '/bin/sh',
      ['-c', 'echo early; (sleep 2.5; echo late) & exit 0'],
      {
        logFile,
      },
    );
    expect(result.code).toBe(0);
    await sleep(1_500); // past the daemon's line: an unhandled stream error would fail this file
    expect(fs.readFileSync(logFile, 'utf8')).toContain('early');
  });
});
