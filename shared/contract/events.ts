import { z } from 'zod';
import { Id, Job } from './domain';

/** Events pushed from main to the renderer. Names are `domain.pastTense` or `job.progress`. */
export const events = {
  /** Throttled; `job.seq` grows by one per event of the same job so stale ones can be dropped. */
  'job.progress': Job,
  'job.finished': Job,
  'servers.changed': z.object({ serverId: Id }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
