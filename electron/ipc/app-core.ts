import type { EventName, Result } from '../../shared/contract';
import { JobRunner } from '../jobs/runner';
import { EventBus } from '../services/events/event-bus';
import type { SecretStore } from '../services/secrets/secret-store';
import { ServersService } from '../services/servers/servers-service';
import { openDatabase } from '../services/store/database';
import { JobsRepo } from '../services/store/jobs-repo';
import { ServersRepo } from '../services/store/servers-repo';
import { APP_VERSION } from './version';
import { createHandlers } from './handlers';
import { createDispatch } from './router';

export interface AppCoreOptions {
  dataDir: string;
  secrets: SecretStore;
  transport: 'electron' | 'web' | 'cli';
  version?: string;
  /** Diagnostics sink; receives no secrets. */
  log?: (line: string) => void;
}

/** The app without a window: what every transport (IPC, browser mode, CLI) talks to. */
export interface AppCore {
  dispatch(name: string, raw: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** The job runner, for transports that wait on jobs (the CLI). */
  readonly jobs: JobRunner;
  /** Drains running jobs, then closes the store. */
  close(): Promise<void>;
}

/** Composition root: opens the store and wires services, jobs and the command map. */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const db = openDatabase(options.dataDir);
  const events = new EventBus();
  const jobs = new JobRunner({ repo: new JobsRepo(db), events });
  const servers = new ServersService({
    repo: new ServersRepo(db),
    secrets: options.secrets,
    jobs,
    events,
  });
  const dispatch = createDispatch(
    createHandlers({
      version: options.version ?? APP_VERSION,
      transport: options.transport,
      servers,
      jobs,
    }),
    options.log,
  );
  let closed = false;
  return {
    dispatch,
    onEvent: (listener) => events.subscribe(listener),
    jobs,
    close: async () => {
      if (closed) return;
      closed = true;
      await jobs.drain();
      db.close();
    },
  };
}
