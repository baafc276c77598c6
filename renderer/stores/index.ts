import { useStore } from 'zustand';
import { api, onConnectionStatus } from '../lib/api';
import { createActorStore, type ActorState } from './actor';
import { createAgentInstallStore, type AgentInstallState } from './agent-install';
import { createCatalogStore, type CatalogState } from './catalog';
import { createConnectFlowStore, type ConnectFlowState } from './connect-flow';
import { createDrillsStore, type DrillsState } from './drills';
import { createHealthStore, type HealthState } from './health';
import { createJobsStore, type JobsState } from './jobs';
import { createPointsStore, type PointsState } from './points';
import { createRebuildStore, type RebuildState } from './rebuild';
import { createRecoveryKitStore, type RecoveryKitState } from './recovery-kit';
import { createRestoreStore, type RestoreState } from './restore';
import { createProductionRestoreStore, type ProductionRestoreState } from './restore-production';
import { createScratchStore, type ScratchState } from './scratch';
import { createServersStore, type ServersState } from './servers';
import { createStorageStore, type StorageState } from './storage';

/** The app's store instances, bound to the real bridge. Tests build their own with fakes. */
export const serversStore = createServersStore(api());
export const jobsStore = createJobsStore(api());
export const connectFlowStore = createConnectFlowStore(serversStore, jobsStore);
export const storageStore = createStorageStore(api());
export const agentInstallStore = createAgentInstallStore(api(), jobsStore);
export const healthStore = createHealthStore(api());
export const recoveryKitStore = createRecoveryKitStore(api());
export const catalogStore = createCatalogStore(api());
export const scratchStore = createScratchStore(api());
export const restoreStore = createRestoreStore(api(), jobsStore, scratchStore);
export const productionRestoreStore = createProductionRestoreStore(api(), jobsStore);
export const drillsStore = createDrillsStore(api(), jobsStore);
export const pointsStore = createPointsStore(api(), jobsStore);
export const rebuildStore = createRebuildStore(api(), jobsStore);
/** "Later" at the first-start name question lasts for this window's session only. */
const ACTOR_LATER_KEY = 'kumiko.actor.later';
export const actorStore = createActorStore(api(), {
  later: sessionValue(ACTOR_LATER_KEY) === '1',
  onLater: () => setSessionValue(ACTOR_LATER_KEY, '1'),
});

function sessionValue(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function setSessionValue(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Not kept over a reload; the reminder then shows again.
  }
}

export function useServers<T>(selector: (state: ServersState) => T): T {
  return useStore(serversStore, selector);
}

export function useConnectFlow<T>(selector: (state: ConnectFlowState) => T): T {
  return useStore(connectFlowStore, selector);
}

export function useJobs<T>(selector: (state: JobsState) => T): T {
  return useStore(jobsStore, selector);
}

export function useStorage<T>(selector: (state: StorageState) => T): T {
  return useStore(storageStore, selector);
}

export function useAgentInstall<T>(selector: (state: AgentInstallState) => T): T {
  return useStore(agentInstallStore, selector);
}

export function useHealth<T>(selector: (state: HealthState) => T): T {
  return useStore(healthStore, selector);
}

export function useRecoveryKit<T>(selector: (state: RecoveryKitState) => T): T {
  return useStore(recoveryKitStore, selector);
}

export function useCatalog<T>(selector: (state: CatalogState) => T): T {
  return useStore(catalogStore, selector);
}

export function useRestore<T>(selector: (state: RestoreState) => T): T {
  return useStore(restoreStore, selector);
}

export function useProductionRestore<T>(selector: (state: ProductionRestoreState) => T): T {
  return useStore(productionRestoreStore, selector);
}

export function useScratch<T>(selector: (state: ScratchState) => T): T {
  return useStore(scratchStore, selector);
}

export function usePoints<T>(selector: (state: PointsState) => T): T {
  return useStore(pointsStore, selector);
}

export function useDrills<T>(selector: (state: DrillsState) => T): T {
  return useStore(drillsStore, selector);
}

export function useActor<T>(selector: (state: ActorState) => T): T {
  return useStore(actorStore, selector);
}

export function useRebuild<T>(selector: (state: RebuildState) => T): T {
  return useStore(rebuildStore, selector);
}

/** Loads what the first screen needs and reloads after a dropped connection, since events were missed. */
export function startStores(): void {
  void serversStore.getState().load();
  void actorStore.getState().load();
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
