import type { EventName, EventPayload } from '../../../shared/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

/** In-process fan-out of contract events to every transport (IPC window, WebSockets, CLI). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken transport must not stop events reaching the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
