import { useEffect } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { drillsStore, useDrills, useServers } from '../../stores';
import { NotSetUpNotice } from '../servers/RequiresBackup';
import { backupSetUp } from '../servers/protection';
import { HistoryTable } from './HistoryTable';
import { ReportDialog } from './ReportDialog';
import { RunCard } from './RunCard';
import { ScheduleCard } from './ScheduleCard';
import { SettingsEditor } from './SettingsEditor';
import { TrendChart } from './TrendChart';

/**
 * One server's practiced restores: schedule and next drill, "run now" with live progress, the
 * archived history with its RTO/RPO trend, the reports, and the drill settings.
 */
export function DrillsPage({ id, drill }: { id: string; drill?: string | undefined }) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const entry = useDrills((s) => s.servers[id]);
  // Without backups there is no agent to ask: the page says so instead of showing its error.
  const notSetUp = server !== undefined && !backupSetUp(server);

  useEffect(() => {
    if (notSetUp) return;
    drillsStore.getState().watch(id);
    void drillsStore.getState().load(id);
  }, [id, notSetUp]);

  // The open report is part of the address (/servers/<id>/drills/<drill id>): Back closes it,
  // a reload opens it again.
  useEffect(() => {
    const open = drillsStore.getState().report;
    if (drill === undefined) {
      if (open) drillsStore.getState().closeReport();
    } else if (open?.serverId !== id || open.drillId !== drill) {
      void drillsStore.getState().openReport(id, drill);
    }
  }, [id, drill]);

  return (
    <section aria-labelledby="page-title" className="drills-page">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('drills.title', { name: server?.name ?? '' })}
        </h1>
        <div className="page-head__actions">
          <Button busy={entry?.loading} onClick={() => void drillsStore.getState().load(id)}>
            {t('drills.reload')}
          </Button>
          <Button onClick={() => navigate({ name: 'dashboard', id })}>
            {t('drills.backToStatus')}
          </Button>
        </div>
      </div>
      <p className="muted">{t('drills.intro')}</p>
      {notSetUp ? (
        <NotSetUpNotice id={id} name={server.name} actions={['drill', 'drillSettings']} />
      ) : (
        <DrillsContent id={id} />
      )}
      <ReportDialog />
    </section>
  );
}

/** Run, schedule, history, trend and settings of a server whose backups are set up. */
function DrillsContent({ id }: { id: string }) {
  const t = useT();
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  const entry = useDrills((s) => s.servers[id]);
  const overview = entry?.overview ?? null;
  const reports = entry?.reports ?? null;
  return (
    <>
      {entry?.error ? <ErrorAlert error={entry.error} data-testid="drills-error" /> : null}

      {server ? <RunCard server={server} /> : null}
      {overview ? (
        <ScheduleCard overview={overview} last={(reports ?? overview.reports)[0]} />
      ) : !entry?.error ? (
        <div className="card" data-testid="drill-schedule-loading">
          <h2>{t('drills.schedule.title')}</h2>
          <p className="muted">{t('drills.schedule.loading')}</p>
        </div>
      ) : null}
      {reports ? (
        <>
          <div className="card">
            <h2>{t('drills.history.title')}</h2>
            <HistoryTable serverId={id} reports={reports} />
          </div>
          {reports.length >= 2 ? <TrendChart reports={reports} /> : null}
        </>
      ) : null}
      {overview ? (
        // Keyed by the loaded settings, so a reload after saving starts from what the agent has.
        <SettingsEditor
          key={JSON.stringify([
            overview.intervalSeconds,
            overview.smokeChecks,
            overview.amcheckHeapAllIndexed,
          ])}
          overview={overview}
        />
      ) : null}
    </>
  );
}
