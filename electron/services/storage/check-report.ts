import type { BucketProtectionFacts } from '../../../shared/agent/bucket-protection';
import {
  phrase,
  type ErrorCode,
  type Phrase,
  type StorageCheckReport,
  type StorageProvider,
} from '../../../shared/contract';

export type CheckItemId = StorageCheckReport['items'][number]['id'];
type CheckItem = StorageCheckReport['items'][number];

/** The order the admin sees the checks in (and the order they run). */
export const CHECK_ORDER: readonly CheckItemId[] = [
  'endpoint',
  'tls',
  'location',
  'write',
  'read',
  'delete',
  'history',
  'versioning',
  'objectLock',
  'lifecycle',
  'restoreKey',
];

/** The first failed check: its stable code and a message that says why. */
export interface CheckFailure {
  code: ErrorCode;
  message: string;
}

/**
 * Collects the outcome of each check. Checks not reached stay 'skipped'; the first failure
 * decides the error code.
 */
export class CheckRecorder {
  private readonly items = new Map<CheckItemId, CheckItem>(
    CHECK_ORDER.map((id) => [
      id,
      {
        id,
        state: 'skipped',
        detail: 'Not run: an earlier check failed.',
        words: [phrase('storage.notRun')],
      },
    ]),
  );
  failure: CheckFailure | null = null;
  provider: StorageProvider = 'unknown';
  location: string | null = null;
  versioning: StorageCheckReport['versioning'] = 'unknown';
  objectLock: StorageCheckReport['objectLock'] = 'unknown';
  protection: StorageCheckReport['protection'] = 'unknown';
  /** What the probe's delete of the test object's version showed (issue 15 §3). */
  versionDelete: BucketProtectionFacts['versionDelete'] = 'error';

  constructor(private readonly endpointHost: string) {}

  pass(id: CheckItemId, detail: string, words?: Phrase[]): void {
    this.set({ id, state: 'passed', detail }, words);
  }

  /** A risk with advice: amber, never shown as passed, does not stop the save. */
  warn(id: CheckItemId, detail: string, words?: Phrase[]): void {
    this.set({ id, state: 'warning', detail }, words);
  }

  /**
   * Red without refusing the target: the bucket works, but a server holding the key can
   * destroy the backups. `protection` carries that to the report's headline.
   */
  flag(id: CheckItemId, detail: string, words?: Phrase[]): void {
    this.set({ id, state: 'failed', detail }, words);
  }

  skip(id: CheckItemId, detail: string, words?: Phrase[]): void {
    this.set({ id, state: 'skipped', detail }, words);
  }

  /** Marks a check failed; `detail` defaults to the message shown with the error. */
  fail(
    id: CheckItemId,
    code: ErrorCode,
    message: string,
    detail = message,
    words?: Phrase[],
  ): void {
    this.set({ id, state: 'failed', detail }, words);
    this.failure ??= { code, message };
  }

  /** `detail` is English for logs and the CLI; `words` what the console says (docs/i18n.md). */
  private set(item: CheckItem, words: Phrase[] | undefined): void {
    this.items.set(item.id, words ? { ...item, words } : item);
  }

  report(): StorageCheckReport {
    return {
      endpointHost: this.endpointHost,
      provider: this.provider,
      location: this.location,
      versioning: this.versioning,
      objectLock: this.objectLock,
      protection: this.protection,
      items: CHECK_ORDER.map((id) => this.items.get(id) as CheckItem),
      passed: this.failure === null,
    };
  }
}
