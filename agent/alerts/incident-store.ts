import crypto from 'node:crypto';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../runtime/json-file';
import { INCIDENT_KINDS, type IncidentKind } from './kinds';

const Kind = z.enum(INCIDENT_KINDS);

/** One notification waiting to be delivered to one channel. */
export const Notice = z.object({
  id: z.string(),
  kind: Kind,
  state: z.enum(['open', 'resolved']),
  message: z.string(),
  /** When the incident opened or resolved (ISO). */
  at: z.string(),
  /** Channel id (see alerts/channels.ts). */
  channel: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
});
export type Notice = z.infer<typeof Notice>;

/** stateDir/incidents.json: open incidents and the notification outbox. */
export const IncidentStore = z.object({
  watchingSince: z.string().nullable(),
  open: z.record(z.string(), z.object({ since: z.string(), message: z.string() })),
  outbox: z.array(Notice),
});
export type IncidentStore = z.infer<typeof IncidentStore>;

const EMPTY: IncidentStore = { watchingSince: null, open: {}, outbox: [] };

/** Reads incidents.json (empty when missing or corrupt). */
export function readIncidents(file: string): IncidentStore {
  return readJsonFile(file, IncidentStore, EMPTY);
}

/** Writes incidents.json atomically. */
export function writeIncidents(file: string, store: IncidentStore): void {
  writeJsonFile(file, store);
}

/** What changed in one reconciliation. */
export interface Transitions {
  opened: IncidentKind[];
  resolved: IncidentKind[];
}

/**
 * Brings the open incidents in line with the conditions that hold now. An incident that
 * opens, and one that clears, each queue exactly one notice per channel; a condition that
 * stays true (even with a new message) queues nothing. Delivery is retried from the outbox,
 * so a mail server that is down at the moment of the alert still gets it once.
 */
export function reconcile(
  store: IncidentStore,
  conditions: Map<IncidentKind, string>,
  channels: readonly string[],
  now: Date,
): { store: IncidentStore; transitions: Transitions } {
  const at = now.toISOString();
  const open = { ...store.open };
  const outbox = [...store.outbox];
  const transitions: Transitions = { opened: [], resolved: [] };
  const queue = (kind: IncidentKind, state: 'open' | 'resolved', message: string): void => {
    for (const channel of channels) {
      outbox.push({
        id: crypto.randomUUID(),
        kind,
        state,
        message,
        at,
        channel,
        attempts: 0,
        lastError: null,
      });
    }
  };
  for (const [kind, message] of conditions) {
    const current = open[kind];
    if (current) {
      open[kind] = { ...current, message };
    } else {
      open[kind] = { since: at, message };
      transitions.opened.push(kind);
      queue(kind, 'open', message);
    }
  }
  for (const kind of Object.keys(open) as IncidentKind[]) {
    if (conditions.has(kind)) continue;
    const since = open[kind]?.since ?? at;
    delete open[kind];
    transitions.resolved.push(kind);
    queue(kind, 'resolved', `resolved (open since ${since})`);
  }
  return {
    store: { watchingSince: store.watchingSince ?? at, open, outbox },
    transitions,
  };
}
