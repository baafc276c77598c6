import { useCallback, useEffect, useState } from 'react';
import {
  ACCOUNTABILITY_ACTIONS,
  type AccountabilityExportResult,
  type AccountabilityFilter,
  type AccountabilityList,
  type AccountabilityVerdict,
} from '../../../shared/contract/accountability';
import { useLang, useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Alert } from '../../components/Alert';
import { call } from '../../lib/api';
import { toApiError, type ApiError } from '../../lib/api-client';
import { actorStore, useActor, useServers } from '../../stores';
import { ActivityFilters, type FilterDraft, filterOf } from './ActivityFilters';
import { ActivityTable } from './ActivityTable';
import { ActorName } from './ActorName';
import { actionLabel } from './activity-words';
import './activity.css';

const EMPTY: FilterDraft = { serverId: '', action: '', who: '', from: '', to: '', result: '' };

/**
 * The accountability log (issue 17 §5): the chain's verdict on top, the name the log records,
 * filters, the entries newest first, and a signed export of what the filter shows.
 */
export function AccountabilityPage() {
  const t = useT();
  const lang = useLang();
  const servers = useServers((s) => s.servers);
  const [draft, setDraft] = useState<FilterDraft>(EMPTY);
  const [list, setList] = useState<AccountabilityList | null>(null);
  const [verdict, setVerdict] = useState<AccountabilityVerdict | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const actorError = useActor((s) => s.error);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<AccountabilityExportResult | null>(null);

  const filter: AccountabilityFilter = filterOf(draft);
  const filterKey = JSON.stringify(filter);
  const load = useCallback(async () => {
    setError(null);
    try {
      const parsed = JSON.parse(filterKey) as AccountabilityFilter;
      const [entries, chain] = await Promise.all([
        call('accountability.list', parsed),
        call('accountability.verify', {}),
      ]);
      setList(entries);
      setVerdict(chain);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [filterKey]);

  useEffect(() => {
    void load();
  }, [load]);
  // Fresh from main: the name may have been set elsewhere (the CLI, another window).
  useEffect(() => {
    void actorStore.getState().load();
  }, []);

  async function exportLog() {
    setExporting(true);
    setExported(null);
    setError(null);
    try {
      setExported(await call('accountability.export', filter));
      await load();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setExporting(false);
    }
  }

  const nameOf = (id: string | null) => servers.find((s) => s.id === id)?.name ?? null;
  const actions = [...ACCOUNTABILITY_ACTIONS].sort((a, b) =>
    actionLabel(t, a).localeCompare(actionLabel(t, b), lang),
  );

  return (
    <section aria-labelledby="page-title" className="activity">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('activity.title')}
        </h1>
      </div>
      <p className="muted">{t('activity.intro')}</p>
      {verdict ? (
        verdict.intact ? (
          <Alert
            tone="success"
            title={t('activity.chain.title.intact')}
            data-testid="chain-verdict"
          >
            <p>{t('activity.chain.intact', { count: verdict.entries })}</p>
          </Alert>
        ) : (
          <Alert tone="danger" title={t('activity.chain.title.broken')} data-testid="chain-verdict">
            <p>
              {t('activity.chain.broken', {
                seq: verdict.firstBroken?.seq ?? 0,
                reason: t(`activity.chain.reason.${verdict.firstBroken?.reason ?? 'hash'}`),
              })}
            </p>
          </Alert>
        )
      ) : null}
      <ActorName onSaved={() => void load()} />
      {actorError ? <ErrorAlert error={actorError} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <ActivityFilters draft={draft} onChange={setDraft} servers={servers} actions={actions} />
      <div className="activity-export">
        <Button
          busy={exporting}
          onClick={() => void exportLog()}
          disabled={!list || list.total === 0}
        >
          {t('activity.export')}
        </Button>
        {exported ? (
          <Alert tone="success" data-testid="activity-exported">
            <p>
              {t('activity.exported', {
                count: exported.entries,
                directory: exported.directory,
                principal: exported.principal,
              })}
            </p>
          </Alert>
        ) : null}
      </div>
      {list ? (
        list.total === 0 ? (
          <p className="empty">
            {filterKey === '{}' ? t('activity.empty') : t('activity.emptyFiltered')}
          </p>
        ) : (
          <>
            <p className="muted" role="status">
              {t('activity.shown', { shown: list.entries.length, total: list.total })}
            </p>
            <ActivityTable entries={list.entries} serverName={nameOf} />
          </>
        )
      ) : null}
    </section>
  );
}
