import { BUNDLE_FILES } from './bundle-layout';

/**
 * The report chain: every report records the SHA-256 of the previous report's MANIFEST.sha256
 * (and a sequence number), inside its own signed manifest. Removing, reordering or replacing a
 * report in the middle then breaks the next link. In the bundle the link is the file
 * `chain/previous-manifest.sha256`, itself a sha256sum line for `../<previousDrillId>/MANIFEST.sha256`,
 * so with the bundles side by side (as in the archive and the export zip) an auditor checks the
 * link with stock tools: `sha256sum -c chain/previous-manifest.sha256` inside a bundle folder.
 */

/** The previous report, as the next one records it. */
export interface ChainPrevious {
  drillId: string;
  /** SHA-256 (hex) of the previous bundle's MANIFEST.sha256 bytes. */
  manifestSha256: string;
}

/** A bundle's place in its server's chain. */
export interface ChainMember {
  drillId: string;
  serverId: string;
  /** 1 for a server's first report, then +1 each. */
  sequence: number;
  /** SHA-256 of this bundle's MANIFEST.sha256. */
  manifestSha256: string;
  previous: ChainPrevious | null;
}

/** The content of `chain/previous-manifest.sha256` for a link to `previous`. */
export function chainFileText(previous: ChainPrevious): string {
  return `${previous.manifestSha256}  ../${previous.drillId}/${BUNDLE_FILES.manifest}\n`;
}

/** Reads `chain/previous-manifest.sha256`; null when it is not exactly one well-formed link. */
export function parseChainFile(text: string): ChainPrevious | null {
  const m = /^([0-9a-f]{64}) {2}\.\.\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/MANIFEST\.sha256\n$/.exec(
    text,
  );
  return m ? { manifestSha256: m[1] as string, drillId: m[2] as string } : null;
}

/** One broken rule of a chain. */
export interface ChainProblem {
  code:
    | 'chain-broken'
    | 'chain-sequence'
    | 'chain-mixed-servers'
    | 'chain-duplicate'
    | 'chain-not-from-start';
  drillId: string;
  message: string;
}

/** What {@link verifyChain} found. */
export interface ChainVerification {
  ok: boolean;
  problems: ChainProblem[];
  /** True when the first bundle is its server's first report (no previous). */
  startsAtFirstReport: boolean;
  /**
   * The report before the first one in the list (outside it, e.g. before an export period):
   * the list is then verified from this anchor on. Null when the list starts at the first report.
   */
  anchor: ChainPrevious | null;
}

/**
 * Checks that `members` (one server, ordered oldest first) form an unbroken chain: each one's
 * recorded previous manifest hash is the manifest hash of the one before it, and sequence
 * numbers go up by one. A removed report shows as a broken link and a sequence gap.
 * With `requireFirstReport`, the list must start at the server's first report.
 */
export function verifyChain(
  members: readonly ChainMember[],
  options: { requireFirstReport?: boolean } = {},
): ChainVerification {
  const problems: ChainProblem[] = [];
  const first = members[0];
  if (!first) return { ok: true, problems, startsAtFirstReport: false, anchor: null };
  const startsAtFirstReport = first.previous === null;
  if (options.requireFirstReport && !startsAtFirstReport) {
    problems.push({
      code: 'chain-not-from-start',
      drillId: first.drillId,
      message: `report #${first.sequence} (${first.drillId}) follows ${first.previous?.drillId}, which is not in the list`,
    });
  }
  if (first.previous === null && first.sequence !== 1) {
    problems.push({
      code: 'chain-sequence',
      drillId: first.drillId,
      message: `report ${first.drillId} has no previous report but sequence ${first.sequence}`,
    });
  }
  const seen = new Set<string>();
  members.forEach((member, i) => {
    if (seen.has(member.manifestSha256)) {
      problems.push({
        code: 'chain-duplicate',
        drillId: member.drillId,
        message: `report ${member.drillId} appears twice`,
      });
    }
    seen.add(member.manifestSha256);
    if (member.serverId !== first.serverId) {
      problems.push({
        code: 'chain-mixed-servers',
        drillId: member.drillId,
        message: `report ${member.drillId} belongs to server ${member.serverId}, not ${first.serverId}`,
      });
    }
    const before = members[i - 1];
    if (!before) return;
    if (member.previous?.manifestSha256 !== before.manifestSha256) {
      const named = member.previous
        ? `names ${member.previous.drillId} (manifest ${member.previous.manifestSha256.slice(0, 12)}…) as its previous report`
        : 'names no previous report';
      problems.push({
        code: 'chain-broken',
        drillId: member.drillId,
        message: `report #${member.sequence} (${member.drillId}) ${named}, but the report before it is #${before.sequence} (${before.drillId}, manifest ${before.manifestSha256.slice(0, 12)}…): a report is missing, replaced or out of order`,
      });
    }
    if (member.sequence !== before.sequence + 1) {
      problems.push({
        code: 'chain-sequence',
        drillId: member.drillId,
        message: `report ${member.drillId} is #${member.sequence} but follows #${before.sequence}`,
      });
    }
  });
  return {
    ok: problems.length === 0,
    problems,
    startsAtFirstReport,
    anchor: first.previous,
  };
}
