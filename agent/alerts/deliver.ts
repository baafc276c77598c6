import type { AlertSettings } from '../../shared/contract/agent';
import type { Logger } from '../runtime/log';
import { errorMessage } from '../runtime/errors';
import type { Notice } from './incident-store';
import { sendMail } from './smtp';
import { alertHeadline, postWebhook, webhookPayload, type AlertEvent } from './webhook';

/** Notices older than this are dropped undelivered (and the drop is logged). */
export const NOTICE_MAX_AGE_MS = 24 * 3600_000;

/**
 * Channel ids for the configured channels: `smtp`, and `webhook:<url>` per webhook (the URL
 * identifies it, so reordering the list does not re-send or lose notices).
 */
export function channelIds(settings: AlertSettings): string[] {
  return [...(settings.smtp ? ['smtp'] : []), ...settings.webhooks.map((w) => `webhook:${w.url}`)];
}

async function deliver(notice: Notice, settings: AlertSettings, serverId: string): Promise<void> {
  const event: AlertEvent = {
    kind: notice.kind,
    state: notice.state,
    serverId,
    message: notice.message,
    at: notice.at,
  };
  if (notice.channel === 'smtp') {
    if (!settings.smtp) return;
    await sendMail(settings.smtp, {
      subject: alertHeadline(event),
      text: `${notice.message}\n\nServer: ${serverId}\nIncident: ${notice.kind}\nState: ${notice.state}\nAt: ${notice.at}\n`,
    });
    return;
  }
  const url = notice.channel.slice('webhook:'.length);
  const hook = settings.webhooks.find((w) => w.url === url);
  if (!hook) return;
  await postWebhook(hook.url, webhookPayload(hook.format, event));
}

/**
 * Tries every notice in the outbox once; returns those still to deliver. Notices for a channel
 * that is no longer configured are dropped; so are notices older than a day.
 */
export async function deliverOutbox(
  outbox: readonly Notice[],
  settings: AlertSettings,
  serverId: string,
  log: Logger,
  now: Date,
): Promise<Notice[]> {
  const configured = new Set(channelIds(settings));
  const left: Notice[] = [];
  for (const notice of outbox) {
    if (!configured.has(notice.channel)) continue;
    const what = `${notice.kind} ${notice.state} via ${notice.channel === 'smtp' ? 'smtp' : 'webhook'}`;
    try {
      await deliver(notice, settings, serverId);
      log.info(`alert sent: ${what}`);
    } catch (error) {
      const failed = { ...notice, attempts: notice.attempts + 1, lastError: errorMessage(error) };
      if (now.getTime() - Date.parse(notice.at) > NOTICE_MAX_AGE_MS) {
        log.error(`alert dropped after ${failed.attempts} attempts: ${what}: ${failed.lastError}`);
      } else {
        log.warn(`alert not sent yet (${what}): ${failed.lastError}`);
        left.push(failed);
      }
    }
  }
  return left;
}
