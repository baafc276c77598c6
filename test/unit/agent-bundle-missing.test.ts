import { describe, expect, it } from 'vitest';
import { readBundle } from '../../electron/services/agent-install/install-job';

// An admin whose app lacks the agent bundle (a broken installation) gets a sentence with a next
// step, never a build command of the developers or a path on their machine.
describe('a missing agent bundle', () => {
  it('is reported as an incomplete installation, without npm or the path', async () => {
    const missing = '/nonexistent/dist/agent/kumiko-agent.cjs';
    const error = await readBundle(missing).then(
      () => null,
      (err: unknown) => err as { code: string; message: string; details?: unknown },
    );
    expect(error?.code).toBe('AGENT_INSTALL_FAILED');
    expect(error?.message).toMatch(/incomplete.*Reinstall Kumiko Recovery/);
    expect(error?.message).not.toMatch(/npm|dist\/|nonexistent/);
    expect(JSON.stringify(error?.details ?? null)).not.toContain('nonexistent');
  });
});
