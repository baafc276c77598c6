import { describe, expect, it } from 'vitest';
import { openFinalMark, signFinalMark } from '../../node/gdpr/final-mark';
import { ed25519PublicKeyFromPrivate, generateEd25519KeyPair } from '../../node/signing';
import {
  erasureIsFinal,
  oldestRetained,
  type ErasureFinalMark,
} from '../../shared/agent/erasure-final';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';

// Hard delete on rollover: when an erasure is final, and the agent's signed mark that says so.

const agent = generateEd25519KeyPair();
const agentLine = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(agent.privateKeyPem));
const mark: ErasureFinalMark = {
  format: 'kumiko-erasure-final-1',
  serverId: 'srv-1',
  erasureId: '2026-12-06-abc',
  erasedAt: '2026-12-06T10:00:00.000Z',
  finalAt: '2027-04-07T03:00:00.000Z',
  oldestRetained: { label: '20261207-030000F', startedAt: '2026-12-07T03:00:00.000Z' },
};

describe('erasure final on rollover', () => {
  const at = (iso: string) => Date.parse(iso);
  it('is final only when every retained point started after the erasure', () => {
    const after = { label: 'b', startedMs: at('2026-12-06T10:00:01Z') };
    const spanning = { label: 'a', startedMs: at('2026-12-06T09:59:00Z') };
    expect(erasureIsFinal(mark.erasedAt, [after])).toBe(true);
    // A backup that started before (and ended after) can be restored to a moment before it.
    expect(erasureIsFinal(mark.erasedAt, [spanning, after])).toBe(false);
    expect(erasureIsFinal(mark.erasedAt, [])).toBe(true);
    expect(erasureIsFinal('not a date', [after])).toBe(false);
    expect(oldestRetained([after, spanning])).toBe(spanning);
    expect(oldestRetained([])).toBeNull();
  });

  it('opens only marks the pinned agent key signed, for this server', () => {
    const body = Buffer.from(signFinalMark(mark, agent.privateKeyPem));
    expect(openFinalMark(body, agentLine, 'srv-1')).toEqual(mark);
    expect(openFinalMark(body, agentLine, 'srv-2')).toBeNull();
    const other = generateEd25519KeyPair();
    expect(
      openFinalMark(Buffer.from(signFinalMark(mark, other.privateKeyPem)), agentLine, 'srv-1'),
    ).toBeNull();
    expect(openFinalMark(Buffer.from(JSON.stringify(mark)), agentLine, 'srv-1')).toBeNull();
    const tampered = JSON.parse(body.toString()) as { mark: string };
    tampered.mark = tampered.mark.replace('2027-04-07', '2026-12-07');
    expect(openFinalMark(Buffer.from(JSON.stringify(tampered)), agentLine, 'srv-1')).toBeNull();
    expect(openFinalMark(Buffer.from('garbage'), agentLine, 'srv-1')).toBeNull();
  });
});
