import { useStore } from 'zustand';
import { api, onConnectionStatus } from '../lib/api';
import { createConnectFlowStore, type ConnectFlowState } from './connect-flow';
import { createJobsStore, type JobsState } from './jobs';
import { createServersStore, type ServersState } from './servers';

/** The app's store instances, bound to the real bridge. Tests build their own with fakes. */
export const serversStore = createServersStore(api());
export const jobsStore = createJobsStore(api());
export const connectFlowStore = createConnectFlowStore(serversStore, jobsStore);

export function useServers<T>(selector: (state: ServersState) => T): T {
  return useStore(serversStore, selector);
}

export function useConnectFlow<T>(selector: (state: ConnectFlowState) => T): T {
  return useStore(connectFlowStore, selector);
}

export function useJobs<T>(selector: (state: JobsState) => T): T {
  return useStore(jobsStore, selector);
}

/** Loads what the first screen needs and reloads after a dropped connection, since events were missed. */
export function startStores(): void {
  void serversStore.getState().load();
  jobsStore
    .getState()
    .load()
    .catch(() => undefined);
  let wasDown = false;
  onConnectionStatus((status) => {
    if (status === 'reconnecting') wasDown = true;
    if (status === 'open' && wasDown) {
      wasDown = false;
      void serversStore.getState().load();
      jobsStore
        .getState()
        .load()
        .catch(() => undefined);
    }
  });
}
