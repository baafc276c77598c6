import fs from 'node:fs';
import path from 'node:path';
import { subjectKeyHash } from '../../node/gdpr/ledger-object';
import {
  erasedFileHashes,
  LEDGER_KEY,
  type ErasureLedgerEntry,
} from '../../shared/agent/erasure-ledger';
import { AgentError } from '../runtime/errors';

/** What removing the erased subjects' attached files from a restore did. */
export interface FileReplayOutcome {
  /** Files removed from the restored tree. */
  removed: number;
  /** Erasures whose entries name attached files. */
  erasures: number;
}

/**
 * Removes, from attached files restic restored under `filesRoot` (each at its original absolute
 * path below it), every file an erasure removed from the live server: the ledger names them by
 * keyed path hashes (erasure-ledger.ts `fileHashes`), so each restored path is hashed with the
 * ledger key and compared. Without this, an erased subject's uploads came back with every
 * restore of the attached files (and with a rebuild, into their original folders).
 *
 * `filesRoot` is the agent's own restore folder (0700, root's: scratch-env.ts), so no other
 * user can swap anything inside it while root removes; names are never followed (a symlink is
 * removed itself, a directory symlink never entered).
 * @throws AgentError when entries name files but the config has no ledger key to match them.
 */
export function replayLedgerFiles(
  filesRoot: string,
  entries: readonly ErasureLedgerEntry[],
  ledgerKey: string | undefined,
): FileReplayOutcome {
  const { hashes, erasureIds } = erasedFileHashes(entries);
  if (hashes.size === 0) return { removed: 0, erasures: 0 };
  if (!ledgerKey || !LEDGER_KEY.test(ledgerKey)) {
    throw new AgentError(
      'GDPR ledger replay',
      'the agent config has no valid GDPR ledger key to match erased attached files with',
    );
  }
  let removed = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const original = `/${path.relative(filesRoot, full).split(path.sep).join('/')}`;
      if (hashes.has(subjectKeyHash(ledgerKey, original))) {
        fs.unlinkSync(full);
        removed += 1;
      }
    }
  };
  if (fs.existsSync(filesRoot)) walk(filesRoot);
  return { removed, erasures: erasureIds.length };
}
