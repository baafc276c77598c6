import { describe, expect, it } from 'vitest';
import {
  chainFileText,
  parseChainFile,
  verifyChain,
  type ChainMember,
} from '../../shared/report/chain';

// The chain: each report records the previous report's MANIFEST.sha256 hash and a sequence
// number, so a report removed, replaced or reordered breaks the next link.

const hash = (n: number) => n.toString(16).padStart(64, '0');

function chain(length: number): ChainMember[] {
  const members: ChainMember[] = [];
  for (let i = 1; i <= length; i++) {
    const before = members[i - 2];
    members.push({
      drillId: `d${i}`,
      serverId: 's1',
      sequence: i,
      manifestSha256: hash(i),
      previous: before ? { drillId: before.drillId, manifestSha256: before.manifestSha256 } : null,
    });
  }
  return members;
}

describe('report chain', () => {
  it('accepts an unbroken chain from the first report', () => {
    const result = verifyChain(chain(4), { requireFirstReport: true });
    expect(result).toEqual({ ok: true, problems: [], startsAtFirstReport: true, anchor: null });
  });

  it('accepts a chain that starts later (an export period) and names its anchor', () => {
    const result = verifyChain(chain(5).slice(2));
    expect(result.ok).toBe(true);
    expect(result.startsAtFirstReport).toBe(false);
    expect(result.anchor).toEqual({ drillId: 'd2', manifestSha256: hash(2) });
    const strict = verifyChain(chain(5).slice(2), { requireFirstReport: true });
    expect(strict.problems.map((p) => p.code)).toEqual(['chain-not-from-start']);
  });

  it('detects a report removed from the middle', () => {
    const [a, , c] = chain(3) as [ChainMember, ChainMember, ChainMember];
    const result = verifyChain([a, c]);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code).sort()).toEqual(['chain-broken', 'chain-sequence']);
    expect(result.problems[0]?.message).toMatch(
      /#3 \(d3\) names d2 .* report before it is #1 \(d1/,
    );
  });

  it('detects a removed first report when the list must start at the first', () => {
    const result = verifyChain(chain(3).slice(1), { requireFirstReport: true });
    expect(result.ok).toBe(false);
  });

  it('detects a replaced report (same place, other manifest)', () => {
    const members = chain(3);
    members[1] = { ...(members[1] as ChainMember), manifestSha256: hash(99) };
    const result = verifyChain(members);
    expect(result.problems.map((p) => p.code)).toEqual(['chain-broken']);
    expect(result.problems[0]?.drillId).toBe('d3');
  });

  it('detects duplicates, mixed servers and a first report with a later sequence', () => {
    const [a, b] = chain(2) as [ChainMember, ChainMember];
    expect(verifyChain([a, a]).problems.map((p) => p.code)).toContain('chain-duplicate');
    expect(verifyChain([a, { ...b, serverId: 's2' }]).problems.map((p) => p.code)).toEqual([
      'chain-mixed-servers',
    ]);
    expect(verifyChain([{ ...a, sequence: 4 }]).problems.map((p) => p.code)).toEqual([
      'chain-sequence',
    ]);
  });

  it('writes the chain link as a sha256sum line for the sibling bundle', () => {
    const text = chainFileText({ drillId: 'd1', manifestSha256: hash(1) });
    expect(text).toBe(`${hash(1)}  ../d1/MANIFEST.sha256\n`);
    expect(parseChainFile(text)).toEqual({ drillId: 'd1', manifestSha256: hash(1) });
    expect(parseChainFile(`${text}${text}`)).toBeNull();
    expect(parseChainFile(`${hash(1)}  ../../d1/MANIFEST.sha256\n`)).toBeNull();
    expect(parseChainFile(`${hash(1)}  d1/MANIFEST.sha256\n`)).toBeNull();
  });
});
