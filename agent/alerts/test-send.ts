import type { AlertSettings } from '../../shared/contract/agent';
import { errorMessage } from '../runtime/errors';
import { sendMail } from './smtp';
import { postWebhook, type WebhookFormat } from './webhook';

/** One channel a test message went to: the e-mail relay, or a webhook by its position. */
export interface TestDelivery {
  target: string;
  ok: boolean;
  /** Why it failed, in the words of the relay or the HTTP answer (never the webhook URL). */
  error?: string;
}

/** The result `kumiko-agent alert-test` prints (JSON). */
export interface AlertTestResult {
  channel: 'smtp' | 'webhook';
  deliveries: TestDelivery[];
}

const TEST_TEXT =
  'Test message from Kumiko Recovery: alerts from this server reach you this way. Nothing is wrong.';

/**
 * Sends one test message through every configured channel of a kind, from the server, so the
 * test takes the real network path (relay, proxy, firewall) the alerts take. Failures are
 * results, not exceptions: the admin sees each channel's outcome. Nothing is stored.
 */
export async function sendTestAlerts(
  settings: AlertSettings,
  serverId: string,
  channel: 'smtp' | 'webhook',
  now: Date,
): Promise<AlertTestResult> {
  const deliveries: TestDelivery[] = [];
  const attempt = async (target: string, send: () => Promise<void>) => {
    try {
      await send();
      deliveries.push({ target, ok: true });
    } catch (error) {
      deliveries.push({ target, ok: false, error: errorMessage(error) });
    }
  };
  if (channel === 'smtp' && settings.smtp) {
    const smtp = settings.smtp;
    await attempt('smtp', () =>
      sendMail(smtp, {
        subject: `[Kumiko Recovery] ${serverId}: test message`,
        text: `${TEST_TEXT}\n\nServer: ${serverId}\nAt: ${now.toISOString()}\n`,
      }),
    );
  }
  if (channel === 'webhook') {
    for (const [i, hook] of settings.webhooks.entries()) {
      await attempt(`webhook ${i + 1} (${hook.format})`, () =>
        postWebhook(hook.url, testPayload(hook.format, serverId, now)),
      );
    }
  }
  return { channel, deliveries };
}

/** The test message in a webhook's format; the generic JSON says kind 'test', not an incident. */
function testPayload(format: WebhookFormat, serverId: string, now: Date): unknown {
  const headline = `[Kumiko Recovery] ${serverId}: test message`;
  switch (format) {
    case 'slack':
      return { text: `${headline}\n${TEST_TEXT}` };
    case 'teams':
      return {
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        summary: headline,
        themeColor: '2EB67D',
        text: `${headline}\n\n${TEST_TEXT}`,
      };
    default:
      return { kind: 'test', state: 'test', serverId, message: TEST_TEXT, at: now.toISOString() };
  }
}
