import { useEffect, useState } from 'react';
import type { Catalog } from '../../../shared/contract/recovery';
import { pointsStore, useJobs, usePoints } from '../../stores';
import { PointCardView } from './PointCardView';

const IDLE = { status: 'idle' } as const;

/** The recovery point on demand of one server, bound to the stores. */
export function PointCard({
  serverId,
  catalog,
  zone,
  filesMissing = false,
}: {
  serverId: string;
  catalog: Catalog | null;
  zone: string;
  /** The last point failed for missing attached-file data (the health tile's healFiles). */
  filesMissing?: boolean;
}) {
  const run = usePoints((s) => s.runs[serverId]) ?? IDLE;
  const job = useJobs((s) => ('jobId' in run ? (s.jobs[run.jobId] ?? null) : null));
  const [note, setNote] = useState('');
  useEffect(() => pointsStore.getState().watch(serverId), [serverId]);
  return (
    <PointCardView
      run={run}
      job={job}
      catalog={catalog}
      zone={zone}
      note={note}
      onNote={setNote}
      filesMissing={filesMissing}
      onStart={() => void pointsStore.getState().start(serverId, note)}
      onHeal={() => void pointsStore.getState().start(serverId, note, true)}
      onCancel={() =>
        void pointsStore
          .getState()
          .cancel(serverId)
          .catch(() => undefined)
      }
    />
  );
}
