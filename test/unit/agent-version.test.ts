import { describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '../../agent/version';
import { APP_VERSION } from '../../electron/services/app-version';

// The console names the agent it carries by the app's version (agent.updateReview): the app
// never imports agent/, so the two must be bumped together or the review would lie.
describe('agent version', () => {
  it('is the app version', () => {
    expect(AGENT_VERSION).toBe(APP_VERSION);
  });
});
