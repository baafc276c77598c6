import type { AlertSettings } from '../../shared/contract/agent';
import { INCIDENT_TITLES, type IncidentKind } from './kinds';

/** One alert event, as every channel gets it. */
export interface AlertEvent {
  kind: IncidentKind;
  state: 'open' | 'resolved';
  serverId: string;
  message: string;
  at: string;
}

export type WebhookFormat = AlertSettings['webhooks'][number]['format'];

/** One line a human reads: "[Kumiko Recovery] server: WAL capture is failing — reason". */
export function alertHeadline(event: AlertEvent): string {
  const title = INCIDENT_TITLES[event.kind];
  return event.state === 'open'
    ? `[Kumiko Recovery] ${event.serverId}: ${title}`
    : `[Kumiko Recovery] ${event.serverId}: resolved: ${title}`;
}

/**
 * The request body for a webhook format: generic JSON `{ kind, state, serverId, message, at }`,
 * Slack-compatible `{ text }` (also Mattermost, Rocket.Chat), or a Teams MessageCard.
 */
export function webhookPayload(format: WebhookFormat, event: AlertEvent): unknown {
  const text = `${alertHeadline(event)}\n${event.message}\n(${event.at})`;
  switch (format) {
    case 'slack':
      return { text };
    case 'teams':
      return {
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        summary: alertHeadline(event),
        themeColor: event.state === 'open' ? 'D13438' : '2EB67D',
        text: text.replace(/\n/g, '\n\n'),
      };
    default:
      return {
        kind: event.kind,
        state: event.state,
        serverId: event.serverId,
        message: event.message,
        at: event.at,
      };
  }
}

/**
 * POSTs the payload as JSON. @throws Error on a network error, a timeout or a non-2xx answer
 * (the URL is not repeated in the message: webhook URLs carry their secret in the path).
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  timeoutMs = 15_000,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
}

/** GETs the push-monitor ("healthchecks" style) URL. @throws Error on failure. */
export async function pingPushMonitor(url: string, timeoutMs = 10_000): Promise<void> {
  const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`push monitor answered HTTP ${response.status}`);
}
