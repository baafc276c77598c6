import type { Job } from '../shared/contract';
import type { SubjectRestoreOutcome, SubjectRestorePreview } from '../shared/contract/rollback';
import { startInstalledAgent } from '../test/harness';

// rollback.subject_restore_s (issue 18 §4): from start to applied for one subject, the way an
// admin does it: Chinook's customer 5 (customer → invoice → invoice_line) after a bad batch,
// restored as of the second before it through the app (scratch PITR, read, plan, apply).

async function switchAndWaitArchived(fx: Awaited<ReturnType<typeof startInstalledAgent>>) {
  const wal = await fx.pg.psql('SELECT pg_walfile_name(pg_switch_wal())', 'chinook');
  const deadline = Date.now() + 120_000;
  while ((await fx.pg.psql('SELECT last_archived_wal FROM pg_stat_archiver')) < wal) {
    if (Date.now() > deadline) throw new Error(`WAL ${wal} was not archived within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Seconds from `rollback.subject.start` to the applied outcome, and the preview's phases. */
export async function subjectRestoreSeconds(log: (line: string) => void): Promise<number> {
  const fx = await startInstalledAgent({ attachedFiles: false });
  try {
    await fx.call('gdpr.map', {
      serverId: fx.serverId,
      database: 'chinook',
      root: 'customer.customer_id',
      save: true,
    });
    const second = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, second - Date.now() + 1100));
    await fx.pg.psql(
      `UPDATE customer SET company = 'Batch GmbH' WHERE customer_id IN (5, 6);
       UPDATE invoice SET total = total + 100 WHERE customer_id IN (5, 6);`,
      'chinook',
    );
    await switchAndWaitArchived(fx);
    const t0 = performance.now();
    const job: Job = await fx.runJob('rollback.subject.start', {
      serverId: fx.serverId,
      database: 'chinook',
      value: '5',
      at: new Date(second).toISOString(),
    });
    if (job.state !== 'succeeded')
      throw new Error(`subject preview ${job.state}: ${job.error?.message}`);
    const preview = job.result as SubjectRestorePreview;
    const outcome = await fx.call<SubjectRestoreOutcome>('rollback.subject.apply', {
      serverId: fx.serverId,
      previewId: preview.previewId,
      reason: 'bench',
    });
    const seconds = (performance.now() - t0) / 1000;
    if (!outcome.applied) throw new Error(`subject restore refused: ${outcome.refusal.code}`);
    log(`subject restore: ${JSON.stringify(outcome)} in ${seconds.toFixed(1)} s`);
    return seconds;
  } finally {
    await fx.stop();
  }
}
