import { z } from 'zod';
import { RetentionPolicy, type HealthTile, type TileLevel } from '../contract/agent';
import { Phrase, phrase } from '../contract/phrases';

/**
 * Can the key that uploads backups also destroy them (issue 15 §3)? The key sits on the
 * database server in a file postgres can read, so any database superuser holds it. What the
 * bucket and a probe showed are the facts; the verdict is decided here, in one place, for the
 * app's storage check at setup, the agent's heartbeat and every drill. Pure: facts in, verdict out.
 */

export const VersioningState = z.enum(['Enabled', 'Suspended', 'Disabled', 'unknown']);

/** What the bucket reported and what the probe with the key showed. */
export const BucketProtectionFacts = z.object({
  /** GetBucketVersioning; 'unknown' when the key may not read it or the storage has none. */
  versioning: VersioningState,
  /** GetObjectLockConfiguration and its default retention (in days, years counted as 365). */
  objectLock: z.object({
    state: z.enum(['Enabled', 'Disabled', 'unknown']),
    mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).nullable(),
    days: z.number().nonnegative().nullable(),
  }),
  /** GetBucketLifecycleConfiguration: the shortest expirations of the enabled rules. */
  lifecycle: z.object({
    state: z.enum(['none', 'rules', 'unknown']),
    /** Current objects are deleted (a delete marker on versioned buckets) after this many days. */
    expirationDays: z.number().nonnegative().nullable(),
    /** Old versions are deleted for good this many days after they stopped being current. */
    noncurrentDays: z.number().nonnegative().nullable(),
  }),
  /**
   * The probe: a test object was written and its version deleted with the key (also with
   * governance bypass). allowed = the key destroyed a version; denied = refused (by policy or
   * Object Lock); noVersion = the upload got no version id (versioning off); error = the probe
   * could not run (`probeError` says why).
   */
  versionDelete: z.enum(['allowed', 'denied', 'noVersion', 'error']),
  /** Why something could not be read or probed (S3 error names, no secrets). */
  notes: z.array(z.string().max(300)).max(10),
});
export type BucketProtectionFacts = z.infer<typeof BucketProtectionFacts>;

/** protected: green; warning: amber (advice); exposed: red, the key can destroy history. */
export const ProtectionLevel = z.enum(['protected', 'warning', 'exposed', 'unknown']);
export type ProtectionLevel = z.infer<typeof ProtectionLevel>;

export const FindingId = z.enum(['history', 'versioning', 'objectLock', 'lifecycle']);
export type FindingId = z.infer<typeof FindingId>;

/** One line of the verdict: ok, a warning with advice, exposed (red) or not known. */
export const BucketFinding = z.object({
  id: FindingId,
  level: z.enum(['ok', 'warning', 'exposed', 'unknown']),
  text: z.string(),
  /** The text as phrases for the console's de/en catalogs (absent from agents before them). */
  phrases: z.array(Phrase).optional(),
});
export type BucketFinding = z.infer<typeof BucketFinding>;

/** A check's result as the agent keeps it (stateDir/bucket-protection.json) and reports it. */
export const BucketProtection = z.object({
  at: z.string().datetime(),
  level: ProtectionLevel,
  /** Days the backups must stay (from the retention policy); a shorter lock is a warning. */
  requiredDays: z.number().int().positive(),
  facts: BucketProtectionFacts,
  findings: z.array(BucketFinding),
});
export type BucketProtection = z.infer<typeof BucketProtection>;

/**
 * How long backups must survive: every second of pitrDays, and the oldest GFS point (monthly
 * points for `monthly` months, weekly for `weekly` weeks). The defaults (7/4/3, 30 days of WAL)
 * give 93 days.
 */
export function requiredRetentionDays(policy: Partial<RetentionPolicy> = {}): number {
  const p = RetentionPolicy.parse(policy);
  return Math.max(p.pitrDays, p.daily, p.weekly * 7, p.monthly * 31);
}

/** Old versions should outlive the time it takes to notice an attack (alerts, the tile). */
const MIN_NONCURRENT_DAYS = 7;

/** The reason a setting was not reported, e.g. " (NotImplemented)", from the probe's notes. */
function why(f: BucketProtectionFacts, prefix: string): string {
  const note = f.notes.find((n) => n.startsWith(prefix));
  const reason = note ? /\(([^)]*)\)$/.exec(note)?.[1] : undefined;
  return reason ? ` (${reason})` : '';
}

/** The reason a setting was not reported as a phrase param: the storage's own error name. */
function whyDetail(f: BucketProtectionFacts, prefix: string): string {
  return why(f, prefix).replace(/^ \(|\)$/g, '');
}

function historyFinding(f: BucketProtectionFacts): BucketFinding {
  const lockHolds = f.objectLock.state === 'Enabled' && (f.objectLock.days ?? 0) > 0;
  switch (f.versionDelete) {
    case 'allowed':
      return {
        id: 'history',
        level: 'exposed',
        text:
          'The key deleted an old version of a test object: whoever holds it (the database server, and so any database superuser) can destroy every backup and its history. ' +
          'Deny this key s3:DeleteObjectVersion and s3:BypassGovernanceRetention (see the bucket policy in docs/security.md), or enable Object Lock in COMPLIANCE mode.',
        phrases: [phrase('bucket.history.allowed')],
      };
    case 'noVersion':
      return lockHolds
        ? {
            id: 'history',
            level: 'ok',
            text: 'Object Lock keeps every upload for its retention period.',
            phrases: [phrase('bucket.history.locked')],
          }
        : {
            id: 'history',
            level: 'exposed',
            text:
              'Versioning is off: a delete or overwrite with this key destroys backups for good, and the key can delete. ' +
              'Enable versioning on the bucket (better: Object Lock) and deny the key s3:DeleteObjectVersion.',
            phrases: [phrase('bucket.history.noVersion')],
          };
    case 'denied':
      return {
        id: 'history',
        level: 'ok',
        text: 'The key could not delete an old version: it cannot destroy the bucket’s history.',
        phrases: [phrase('bucket.history.denied')],
      };
    default:
      return {
        id: 'history',
        level: 'unknown',
        text: `Could not test whether the key can delete old versions (${f.notes.join('; ') || 'no reason given'}).`,
        phrases: [phrase('bucket.history.unknown', { detail: f.notes.join('; ') || '–' })],
      };
  }
}

function versioningFinding(f: BucketProtectionFacts): BucketFinding {
  if (f.versioning === 'Enabled')
    return {
      id: 'versioning',
      level: 'ok',
      text: 'Versioning is enabled: overwritten or deleted objects stay recoverable.',
      phrases: [phrase('bucket.versioning.enabled')],
    };
  if (f.versioning === 'unknown') {
    // An upload that got a version id shows versioning is on even when the key may not read it.
    const on = f.versionDelete === 'allowed' || f.versionDelete === 'denied';
    return on
      ? {
          id: 'versioning',
          level: 'ok',
          text: 'Versioning is on (the test upload got a version id); the key may not read the setting.',
          phrases: [phrase('bucket.versioning.onByUpload')],
        }
      : {
          id: 'versioning',
          level: 'warning',
          text: `The storage does not report versioning${why(f, 'versioning')}: assume deleted objects are gone. Enable versioning on the bucket.`,
          phrases: [
            phrase('bucket.versioning.notReported', { detail: whyDetail(f, 'versioning') }),
          ],
        };
  }
  return {
    id: 'versioning',
    level: 'warning',
    text: `Versioning is ${f.versioning === 'Suspended' ? 'suspended' : 'off'}: an overwritten or deleted object cannot be recovered from the bucket. Enable versioning.`,
    phrases: [
      phrase(
        f.versioning === 'Suspended' ? 'bucket.versioning.suspended' : 'bucket.versioning.off',
      ),
    ],
  };
}

function objectLockFinding(f: BucketProtectionFacts, requiredDays: number): BucketFinding {
  const lock = f.objectLock;
  const advicePhrase = phrase('bucket.objectLock.advice', { requiredDays });
  const advice = `Enable Object Lock with a default retention of at least ${requiredDays} days (COMPLIANCE mode), so that no key, not even a stolen admin key, can delete backups before they expire.`;
  if (lock.state !== 'Enabled') {
    return {
      id: 'objectLock',
      level: 'warning',
      text:
        lock.state === 'unknown'
          ? `The storage does not report Object Lock${why(f, 'Object Lock')}. ${advice}`
          : `Object Lock is not enabled: a key that may change the bucket’s versioning, lifecycle or policy can still destroy history. ${advice}`,
      phrases: [
        lock.state === 'unknown'
          ? phrase('bucket.objectLock.notReported', { detail: whyDetail(f, 'Object Lock') })
          : phrase('bucket.objectLock.notEnabled'),
        advicePhrase,
      ],
    };
  }
  if (lock.days === null || lock.days <= 0) {
    return {
      id: 'objectLock',
      level: 'warning',
      text: `Object Lock is enabled but has no default retention, so uploads are not locked. ${advice}`,
      phrases: [phrase('bucket.objectLock.noRetention'), advicePhrase],
    };
  }
  if (lock.days < requiredDays) {
    return {
      id: 'objectLock',
      level: 'warning',
      text: `Object Lock keeps uploads ${lock.days} days, shorter than the retention (${requiredDays} days: 30 days of WAL, monthly backups for 3 months). ${advice}`,
      phrases: [
        phrase('bucket.objectLock.tooShort', { days: lock.days, requiredDays }),
        advicePhrase,
      ],
    };
  }
  const governance =
    lock.mode === 'GOVERNANCE'
      ? ' GOVERNANCE mode: keys with s3:BypassGovernanceRetention can still delete; COMPLIANCE is stricter.'
      : '';
  return {
    id: 'objectLock',
    level: 'ok',
    text: `Object Lock keeps every upload ${lock.days} days (${lock.mode ?? 'mode not reported'}), at least the retention of ${requiredDays} days.${governance}`,
    phrases: [
      phrase('bucket.objectLock.ok', { days: lock.days, mode: lock.mode ?? '?', requiredDays }),
      ...(lock.mode === 'GOVERNANCE' ? [phrase('bucket.objectLock.governance')] : []),
    ],
  };
}

function lifecycleFinding(f: BucketProtectionFacts, requiredDays: number): BucketFinding {
  const l = f.lifecycle;
  if (l.state === 'unknown')
    return {
      id: 'lifecycle',
      level: 'unknown',
      text: `The lifecycle rules could not be read${why(f, 'lifecycle')}.`,
      phrases: [phrase('bucket.lifecycle.unknown', { detail: whyDetail(f, 'lifecycle') })],
    };
  if (l.state === 'none')
    return {
      id: 'lifecycle',
      level: 'ok',
      text: 'No lifecycle rules delete objects.',
      phrases: [phrase('bucket.lifecycle.none')],
    };
  const problems: string[] = [];
  const problemPhrases: Phrase[] = [];
  if (l.expirationDays !== null && l.expirationDays < requiredDays) {
    problems.push(
      `a rule expires objects after ${l.expirationDays} days, before the retention of ${requiredDays} days ends`,
    );
    problemPhrases.push(
      phrase('bucket.lifecycle.expiresEarly', { days: l.expirationDays, requiredDays }),
    );
  }
  if (l.noncurrentDays !== null && l.noncurrentDays < MIN_NONCURRENT_DAYS) {
    problems.push(
      `old versions are deleted ${l.noncurrentDays} days after they are replaced, so an attack must be noticed within ${l.noncurrentDays} days`,
    );
    problemPhrases.push(phrase('bucket.lifecycle.noncurrentShort', { days: l.noncurrentDays }));
  }
  if (problems.length > 0)
    return {
      id: 'lifecycle',
      level: 'warning',
      text: `Lifecycle: ${problems.join('; ')}. Lengthen the rule.`,
      phrases: [...problemPhrases, phrase('bucket.lifecycle.lengthen')],
    };
  return {
    id: 'lifecycle',
    level: 'ok',
    text:
      l.noncurrentDays !== null
        ? `Lifecycle rules keep old versions ${l.noncurrentDays} days after they are replaced.`
        : 'The lifecycle rules delete nothing the retention still needs.',
    phrases: [
      l.noncurrentDays !== null
        ? phrase('bucket.lifecycle.keepsVersions', { days: l.noncurrentDays })
        : phrase('bucket.lifecycle.ok'),
    ],
  };
}

/**
 * The verdict. Exposed (red): the key deleted a version, or versioning is off without a lock,
 * so a plain delete destroys data. Warning: versioning not on, no (or too short an) Object Lock,
 * lifecycle rules that delete early: never "protected". Unknown: the probe could not run.
 */
export function judgeBucketProtection(
  facts: BucketProtectionFacts,
  requiredDays: number,
  at: Date,
): BucketProtection {
  const findings = [
    historyFinding(facts),
    versioningFinding(facts),
    objectLockFinding(facts, requiredDays),
    lifecycleFinding(facts, requiredDays),
  ];
  const history = findings[0] as BucketFinding;
  const level: ProtectionLevel =
    history.level === 'exposed'
      ? 'exposed'
      : findings.some((x) => x.level === 'warning')
        ? 'warning'
        : history.level === 'unknown'
          ? 'unknown'
          : 'protected';
  return { at: at.toISOString(), level, requiredDays, facts, findings };
}

const TILE_LEVELS: Record<ProtectionLevel, TileLevel> = {
  protected: 'ok',
  warning: 'warning',
  exposed: 'critical',
  unknown: 'unknown',
};

/**
 * The `bucketProtection` status tile: critical when the agent's key can destroy history,
 * warning with the advice when the bucket lacks versioning or a long enough Object Lock, ok
 * only when neither. Unknown from agents that do not check (before issue 15 §3).
 */
export function bucketProtectionTile(p: BucketProtection | null | undefined): HealthTile {
  if (!p)
    return {
      id: 'bucketProtection',
      level: 'unknown',
      value: 'not checked',
      reason: 'This agent has not checked whether its key can delete backups yet.',
      words: { value: phrase('value.notChecked'), reason: [phrase('tile.bucket.notChecked')] },
    };
  // The worst findings only: a red tile says what lets the key destroy history, an amber one
  // what to change; the storage check and the drill report list every finding.
  const worstLevel = p.level === 'exposed' ? 'exposed' : 'warning';
  const problems = p.findings.filter((f) => f.level === worstLevel);
  const value =
    p.level === 'exposed'
      ? 'can destroy history'
      : p.level === 'warning'
        ? 'needs attention'
        : p.level === 'protected'
          ? 'cannot destroy history'
          : 'unknown';
  const reason =
    problems.length > 0
      ? problems.map((f) => f.text).join(' ')
      : p.findings.map((f) => f.text).join(' ');
  return {
    id: 'bucketProtection',
    level: TILE_LEVELS[p.level],
    value,
    reason: `${reason} (checked ${p.at})`,
    words: {
      value: phrase(
        p.level === 'exposed'
          ? 'value.canDestroyHistory'
          : p.level === 'warning'
            ? 'value.needsAttention'
            : p.level === 'protected'
              ? 'value.cannotDestroyHistory'
              : 'value.unknown',
      ),
      reason: [
        ...(problems.length > 0 ? problems : p.findings).flatMap((f) => findingPhrases(f)),
        phrase('tile.bucket.checkedAt', { checkedAt: p.at }),
      ],
    },
  };
}

/** A finding's phrases; an agent's finding from before the phrases as its own text. */
export function findingPhrases(f: BucketFinding): Phrase[] {
  return f.phrases ?? [phrase('detail', { detail: f.text })];
}
