import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../agent/runtime/exec';

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
