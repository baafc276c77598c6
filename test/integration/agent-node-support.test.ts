import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../harness';
import { unsupportedNodeMessage } from '../../shared/agent/node-support';
import { agentNode } from '../harness';
import { AGENT_BUNDLE, buildAgentBundle } from '../harness/agent-env';

// The built agent bundle refuses an unsupported Node.js before anything else runs. It runs on
// the pinned runtime (the installer's upload), and a --require hook makes that Node report
// another version in process.versions, the value the agent reads: the refusal must come before
// the config is read (the path given does not exist) and before the bundle's dependencies load.
// The Node running this test (20, this machine's) is refused for real as well.

let dir: string;
let node: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-agent-node-'));
  [node] = await Promise.all([agentNode(), buildAgentBundle()]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle on the pinned runtime as if it were Node `version` (itself when null). */
async function agentOn(version: string | null, args: string[]) {
  const hook = path.join(dir, `as-${version ?? 'self'}.cjs`);
  fs.writeFileSync(
    hook,
    version === null
      ? ''
      : `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(version)} } });\n`,
  );
  return runCommand(node, ['--require', hook, AGENT_BUNDLE, ...args], {
    check: false,
    name: `kumiko-agent on Node ${version ?? 'pinned'}`,
    timeoutMs: 30_000,
  });
}

describe('the agent on an unsupported Node.js', () => {
  it.each(['20.20.2', '18.20.4', '23.11.1', '21.7.3'])(
    'refuses to start on %s, saying what to do',
    async (v) => {
      const missing = path.join(dir, 'no-such-config.json');
      const run = await agentOn(v, ['status', '--config', missing]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `kumiko-agent: Node.js ${v} is not supported: the agent runs only on a Node.js LTS ` +
          'release, version 22 or newer with an even major version (Node.js 20 reached end of ' +
          'life in April 2026). Reinstall the agent from the Kumiko Recovery app, which uploads a ' +
          'supported Node.js runtime for it, or install a supported Node.js on this server.\n',
      );
    },
  );

  it('answers the Node running the tests as the rule says (20 here: refused for real)', async () => {
    // A real old Node parses the bundle (built for the floor, 22) far enough to refuse.
    const refusal = unsupportedNodeMessage(process.versions.node);
    const run = await runCommand(process.execPath, [AGENT_BUNDLE, 'version'], {
      check: false,
      name: `kumiko-agent on Node ${process.versions.node}`,
      timeoutMs: 30_000,
    });
    expect(run.stderr).toBe(refusal === null ? '' : `kumiko-agent: ${refusal}\n`);
    expect(run.code).toBe(refusal === null ? 0 : 1);
  });

  it('starts on the pinned runtime, on the floor (22) and on a newer LTS', async () => {
    for (const version of [null, '22.0.0', '26.1.0']) {
      const run = await agentOn(version, ['version']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});
