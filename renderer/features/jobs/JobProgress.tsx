import { useJobs } from '../../stores';
import { JobRow } from './JobRow';

/** One job's live progress, inline on the page that started it. */
export function JobProgress({ jobId }: { jobId: string }) {
  const job = useJobs((s) => s.jobs[jobId]);
  if (!job) return null;
  return (
    <div className="job-inline">
      <JobRow job={job} />
    </div>
  );
}
