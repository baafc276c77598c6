import { useMemo, useState } from 'react';
import type { AlertTestResult } from '../../../shared/contract/alert-test';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { call, toApiError, type ApiError } from '../../lib/api';
import { useServers } from '../../stores';

type Channel = AlertTestResult['channel'];

/**
 * Test e-mail and test webhook for one server's alert settings (issue 16 §5). The server's
 * agent sends them, so the test goes the way real alerts go; each channel's outcome is shown
 * as a sentence.
 */
export function AlertTestCard() {
  const t = useT();
  // The store's own array, filtered here: a selector that builds a new array on every call
  // makes zustand re-render without end, and the whole Settings page stayed blank.
  const all = useServers((s) => s.servers);
  const servers = useMemo(() => all.filter((x) => x.protectedDataDirectory !== null), [all]);
  const [serverId, setServerId] = useState('');
  const [busy, setBusy] = useState<Channel | null>(null);
  const [result, setResult] = useState<AlertTestResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const chosen = servers.find((s) => s.id === serverId) ?? servers[0];

  async function send(channel: Channel) {
    if (!chosen) return;
    setBusy(channel);
    setResult(null);
    setError(null);
    try {
      setResult(await call('alerts.test', { serverId: chosen.id, channel }));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="card" data-testid="settings-alert-test">
      <h2>{t('alertTest.title')}</h2>
      <p className="muted">{t('alertTest.intro')}</p>
      {chosen ? (
        <>
          <label>
            {t('alertTest.server')}{' '}
            <select value={chosen.id} onChange={(e) => setServerId(e.target.value)}>
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <Button
              busy={busy === 'smtp'}
              disabled={busy !== null}
              onClick={() => void send('smtp')}
            >
              {t('alertTest.sendMail')}
            </Button>
            <Button
              busy={busy === 'webhook'}
              disabled={busy !== null}
              onClick={() => void send('webhook')}
            >
              {t('alertTest.sendWebhook')}
            </Button>
          </div>
        </>
      ) : (
        <p>{t('alertTest.noServer')}</p>
      )}
      {error ? <ErrorAlert error={error} /> : null}
      {result ? <AlertTestOutcome result={result} /> : null}
    </div>
  );
}

function AlertTestOutcome({ result }: { result: AlertTestResult }) {
  const t = useT();
  if (result.deliveries.length === 0)
    return <Alert tone="warning" title={t(`alertTest.none.${result.channel}`)} />;
  return (
    <ul data-testid="alert-test-result">
      {result.deliveries.map((d) => (
        <li key={d.target}>
          {d.ok
            ? t('alertTest.sent', { target: d.target })
            : t('alertTest.failed', { target: d.target, reason: d.error ?? '' })}
        </li>
      ))}
    </ul>
  );
}
