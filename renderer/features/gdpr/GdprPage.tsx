import { useCallback, useState, type FormEvent } from 'react';
import type { GdprMapResult, GdprSubjectInput } from '../../../shared/contract/gdpr';
import type { GdprRequest } from '../../../shared/contract/gdpr-requests';
import type { MapEdits } from '../../../shared/gdpr/subject-map-schema';
import { useLang, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { api } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { useServers } from '../../stores';
import { EraseCard } from './EraseCard';
import { ErasuresList } from './ErasuresList';
import { ExportCard } from './ExportCard';
import { formatDay } from './format-day';
import { MapView } from './MapView';
import { RequestsCard } from './RequestsCard';

/** Whether two maps collect and erase the same: root, tables with their actions, links. */
function sameMap(a: GdprMapResult, b: GdprMapResult): boolean {
  const core = (r: GdprMapResult) => JSON.stringify([r.map.root, r.map.tables, r.map.links]);
  return core(a) === core(b);
}

/**
 * The DPO workspace of one server (issue 17 §4): name a data subject (database, root table and
 * key column, the key), see the subject map, export the subject's data or erase it, and follow
 * the erasures until they are final in every backup.
 */
export function GdprPage({ id }: { id: string }) {
  const t = useT();
  const lang = useLang();
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const [database, setDatabase] = useState('');
  const [root, setRoot] = useState('');
  const [key, setKey] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // The subject the map was shown for: export and erasure act on it, not on half-typed fields.
  // `saved`: the saved map is this one (same root, tables and links), so export and erasure,
  // which read the saved map, act on what the DPO sees.
  const [shown, setShown] = useState<{
    subject: GdprSubjectInput;
    map: GdprMapResult;
    saved: boolean;
  } | null>(null);
  const [erasuresVersion, setErasuresVersion] = useState(0);
  // The request being answered: export or erasure below act for it and keep its evidence.
  const [request, setRequest] = useState<GdprRequest | null>(null);
  const [noMap, setNoMap] = useState<string | null>(null);
  const [requestsVersion, setRequestsVersion] = useState(0);
  const requestChanged = useCallback(() => setRequestsVersion((v) => v + 1), []);

  /** Picks a request: its database and key fill the fields, and its saved map is shown. */
  async function workOn(picked: GdprRequest) {
    setRequest(picked);
    setDatabase(picked.database);
    setKey(picked.subject);
    setMissing(false);
    setNoMap(null);
    setShown(null);
    setBusy(true);
    setError(null);
    try {
      const map = await api().call('gdpr.map', { serverId: id, database: picked.database });
      setRoot(`${map.map.root.schema}.${map.map.root.table}.${map.map.root.column}`);
      setShown({
        subject: { serverId: id, database: picked.database, subject: picked.subject },
        map,
        saved: true,
      });
    } catch (err) {
      if (toApiError(err).code === 'NOT_FOUND') setNoMap(picked.database);
      else setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  // Export and erasure read the saved map: offered once this map is saved and current.
  const ready = shown !== null && shown.saved && shown.map.drift.length === 0;

  async function saveMap() {
    if (!shown) return;
    setBusy(true);
    setError(null);
    try {
      const map = await api().call('gdpr.map', {
        serverId: id,
        database: shown.subject.database,
        root: root.trim(),
        // The edits of the map shown (the DPO's changes), saved with it as one version.
        edits: shown.map.edits,
        save: true,
      });
      setShown({ subject: shown.subject, map, saved: true });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function showMap(event: FormEvent) {
    event.preventDefault();
    const subject = { serverId: id, database: database.trim(), subject: key.trim() };
    if (!subject.database || !subject.subject || root.trim().length < 3) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setNoMap(null);
    // Another person or database typed: the picked request no longer applies.
    if (request && (request.database !== subject.database || request.subject !== subject.subject))
      setRequest(null);
    setBusy(true);
    setError(null);
    // The old map goes while the new one loads: nothing acts on a subject no longer typed.
    setShown(null);
    try {
      setShown(await mapWithSaved(subject));
    } catch (err) {
      setError(toApiError(err));
      setShown(null);
    } finally {
      setBusy(false);
    }
  }

  /** The map of `subject` (with `edits`, else the saved ones) and whether it is the saved one. */
  async function mapWithSaved(subject: GdprSubjectInput, edits?: MapEdits) {
    const [map, saved] = await Promise.all([
      api().call('gdpr.map', {
        serverId: id,
        database: subject.database,
        root: root.trim(),
        ...(edits ? { edits } : {}),
      }),
      // The saved map as it stands (no root: the saved one's); none saved yet is no error.
      api()
        .call('gdpr.map', { serverId: id, database: subject.database })
        .catch((err: unknown) => {
          if (toApiError(err).code === 'NOT_FOUND') return null;
          throw err;
        }),
    ]);
    return { subject, map, saved: saved !== null && sameMap(saved, map) };
  }

  /** The map with the DPO's edits, built on the live schema; saved only by "Save this map". */
  async function preview(edits: MapEdits) {
    if (!shown) return;
    setBusy(true);
    setError(null);
    try {
      setShown(await mapWithSaved(shown.subject, edits));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title" className="gdpr-page">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('gdpr.title', { name: server?.name ?? '' })}
        </h1>
      </div>
      <p className="muted">{t('gdpr.intro')}</p>

      <RequestsCard
        serverId={id}
        selected={request?.id ?? null}
        version={requestsVersion}
        onSelect={(r) => void workOn(r)}
      />

      <form className="card" onSubmit={(e) => void showMap(e)} data-testid="gdpr-subject">
        <h2>{t('gdpr.subject.title')}</h2>
        {request ? (
          <Alert
            tone="info"
            title={t(`gdpr.requests.working.${request.kind}`, {
              subject: request.subject,
              received: formatDay(request.receivedOn, lang),
            })}
            data-testid="gdpr-working-on"
          />
        ) : null}
        {noMap ? (
          <Alert tone="warning" title={t('gdpr.requests.noMap', { database: noMap })} />
        ) : null}
        <Field
          label={t('gdpr.subject.database')}
          value={database}
          onChange={(e) => setDatabase(e.target.value)}
          name="database"
          autoComplete="off"
        />
        <Field
          label={t('gdpr.subject.root')}
          hint={t('gdpr.subject.rootHint')}
          value={root}
          onChange={(e) => setRoot(e.target.value)}
          name="root"
          autoComplete="off"
        />
        <Field
          label={t('gdpr.subject.key')}
          hint={t('gdpr.subject.keyHint')}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          name="subject"
          autoComplete="off"
        />
        {missing ? (
          <Alert tone="warning" title={t('gdpr.subject.missing')} data-testid="gdpr-missing" />
        ) : null}
        <Button type="submit" variant="primary" busy={busy}>
          {t('gdpr.subject.map')}
        </Button>
      </form>

      {error ? <ErrorAlert error={error} data-testid="gdpr-map-error" /> : null}

      {shown ? (
        <>
          <MapView result={shown.map} busy={busy} onPreview={(edits) => void preview(edits)} />
          {ready ? (
            <Alert
              tone="info"
              title={t('gdpr.map.saved', { version: shown.map.version ?? 0 })}
              data-testid="gdpr-map-saved"
            />
          ) : (
            <Alert tone="warning" title={t('gdpr.map.unsaved')} data-testid="gdpr-map-unsaved">
              <Button variant="primary" busy={busy} onClick={() => void saveMap()}>
                {t('gdpr.map.save')}
              </Button>
            </Alert>
          )}
        </>
      ) : null}
      {shown && ready ? (
        <>
          {request?.kind !== 'erasure' ? (
            <ExportCard
              key={`export:${JSON.stringify(shown.subject)}:${request?.id ?? ''}`}
              subject={shown.subject}
              requestId={request?.id}
              onDone={requestChanged}
            />
          ) : null}
          {request?.kind !== 'access' ? (
            <EraseCard
              key={`erase:${JSON.stringify(shown.subject)}:${request?.id ?? ''}`}
              subject={shown.subject}
              requestId={request?.id}
              onErased={() => {
                setErasuresVersion((v) => v + 1);
                requestChanged();
              }}
            />
          ) : null}
        </>
      ) : null}

      <ErasuresList serverId={id} version={erasuresVersion} />
    </section>
  );
}
