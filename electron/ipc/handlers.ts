import type { JobRunner } from '../jobs/runner';
import { AppError } from '../services/app-error';
import type { ServersService } from '../services/servers/servers-service';
import type { Handlers } from './router';

export interface HandlerDeps {
  version: string;
  transport: 'electron' | 'web' | 'cli';
  servers: ServersService;
  jobs: JobRunner;
}

/** Maps each contract command onto the service that does the work. Nothing else lives here. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { servers, jobs } = deps;
  return {
    'app.info': () => ({ version: deps.version, transport: deps.transport }),
    'servers.list': () => servers.list(),
    'servers.get': ({ id }) => servers.get(id),
    'servers.add': (draft) => servers.add(draft),
    'servers.remove': async ({ id }) => {
      await servers.remove(id);
      return { removed: true as const };
    },
    'servers.probeHostKey': ({ id }) => servers.probeHostKey(id),
    'servers.trustHostKey': ({ id, fingerprint }) => servers.trustHostKey(id, fingerprint),
    'servers.connect': ({ id }) => ({ jobId: servers.connect(id).id }),
    'jobs.list': () => jobs.list(),
    'jobs.get': ({ id }) => {
      const job = jobs.get(id);
      if (!job) throw new AppError('JOB_NOT_FOUND', `No job ${id}.`);
      return job;
    },
    'jobs.cancel': ({ id }) => jobs.cancel(id),
  };
}
