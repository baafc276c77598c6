import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { diskSyncSkipper, runTool } from '../../agent/runtime/exec';

// Real processes: the command reports its own nice value and its session's autogroup.
const REPORT = 'ps -o ni= -p $$; cat /proc/$$/autogroup 2>/dev/null || echo no-autogroup';

describe('runTool priority', () => {
  it("runs a tool at the agent's own priority by default", async () => {
    const result = await runTool('sh', ['-c', REPORT], { step: 'test' });
    const [nice] = result.stdout.trim().split('\n');
    expect(Number(nice)).toBe(os.getPriority());
  });

  it('runs low-priority work at nice 19, in an autogroup of nice 19 where the kernel has them', async () => {
    const result = await runTool('sh', ['-c', REPORT], { step: 'test', lowPriority: true });
    const [nice, autogroup] = result.stdout.trim().split('\n');
    expect(Number(nice)).toBe(19);
    if (fs.existsSync('/proc/self/autogroup')) {
      // The tool leads a session of its own (detached), so the group is its alone.
      expect(autogroup).toMatch(/^\/autogroup-\d+ nice 19$/);
    } else {
      expect(autogroup).toBe('no-autogroup');
    }
  });
});

describe('runTool skipDiskSync', () => {
  const PRELOAD = 'echo "$LD_PRELOAD"';

  it('finds eatmydata (installed by .ci/run, as the agent installer does on servers)', () => {
    expect(diskSyncSkipper(), 'apt-get install eatmydata').toMatch(/\/eatmydata$/);
  });

  it('runs the tool with libeatmydata preloaded, so its fsync calls never reach the disk', async () => {
    const result = await runTool('sh', ['-c', PRELOAD], { step: 'test', skipDiskSync: true });
    const preloaded = result.stdout.trim().split(/[: ]/).filter(Boolean);
    expect(preloaded.some((lib) => /libeatmydata\.so/.test(lib))).toBe(true);
  });

  it('preloads nothing without the option, and combines with low priority', async () => {
    const plain = await runTool('sh', ['-c', PRELOAD], { step: 'test' });
    expect(plain.stdout.trim()).not.toMatch(/eatmydata/);
    const both = await runTool('sh', ['-c', `${PRELOAD}; ps -o ni= -p $$`], {
      step: 'test',
      skipDiskSync: true,
      lowPriority: true,
    });
    const [preload, nice] = both.stdout.trim().split('\n');
    expect(preload).toMatch(/libeatmydata\.so/);
    expect(Number(nice)).toBe(19);
  });

  it('finds no eatmydata where the server has none (the tool then runs as it is)', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-no-eatmydata-'));
    try {
      expect(diskSyncSkipper(empty, [])).toBeNull();
      expect(diskSyncSkipper(`relative/bin:${empty}`, [])).toBeNull();
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('runTool stop signal', () => {
  // The tool writes which signal reached it, then exits: a real process and real signals.
  const TRAPS =
    'trap "echo INT > \\"$0\\"; exit 130" INT; trap "echo TERM > \\"$0\\"; exit 143" TERM; ' +
    'echo started > "$0"; while :; do sleep 0.05; done';

  async function stopWith(stopSignal?: NodeJS.Signals): Promise<string> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-exec-')), 'heard');
    const controller = new AbortController();
    const run = runTool('sh', ['-c', TRAPS, file], {
      step: 'test',
      signal: controller.signal,
      ...(stopSignal ? { stopSignal } : {}),
    });
    while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(run).rejects.toThrow(/^sh aborted/);
    return fs.readFileSync(file, 'utf8').trim();
  }

  it('stops a tool with SIGTERM by default', async () => {
    expect(await stopWith()).toBe('TERM');
  });

  it('stops it with the signal it asks for (restic removes its repository lock on SIGINT only)', async () => {
    expect(await stopWith('SIGINT')).toBe('INT');
  });
});
