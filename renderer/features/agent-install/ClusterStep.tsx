import { useEffect, useRef, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { StatusBadge } from '../../components/StatusBadge';
import {
  defaultCluster,
  validateDraft,
  type ClusterDraft,
  type DraftErrors,
  type DraftField,
} from '../../stores/agent-install-model';
import { isBusy } from '../../stores/connect-flow';
import { agentInstallStore, connectFlowStore, useConnectFlow } from '../../stores';
import { ConnectFlowView } from '../servers/ConnectFlowView';
import { AlertsFields } from './AlertsFields';
import { errorText, fieldDomId, type DraftSectionProps } from './draft-fields';
import { PathsEditor } from './PathsEditor';
import { RetentionFields, ScheduleFields } from './ScheduleFields';
import { DatabaseList } from '../servers/DatabaseList';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';

/** The detected clusters as radio buttons; without a detection, a way to connect first. */
function ClusterPicker({ server, draft, errors, update }: DraftSectionProps & { server: Server }) {
  const t = useT();
  const flow = useConnectFlow((s) => s.flows[server.id]);
  const clusters = server.detection?.clusters ?? [];
  const error = errorText(t, errors.cluster);
  return (
    <fieldset
      className="fieldset"
      id={fieldDomId('cluster')}
      tabIndex={-1}
      aria-describedby={error ? `${fieldDomId('cluster')}-error` : undefined}
    >
      <legend>{t('wizard.cluster.pick')}</legend>
      {!server.detection ? (
        <>
          <Alert tone="warning">{t('wizard.cluster.notDetected')}</Alert>
          <ConnectFlowView server={server} />
          <Button
            busy={isBusy(flow)}
            onClick={() => void connectFlowStore.getState().start(server)}
          >
            {t('detail.connect')}
          </Button>
        </>
      ) : clusters.length === 0 ? (
        <Alert tone="warning">{t('wizard.cluster.none')}</Alert>
      ) : (
        <div className="cluster-choices" data-testid="cluster-choices">
          {clusters.length > 1 ? (
            <p className="field__hint" data-testid="cluster-choose">
              {t('wizard.cluster.choose', { count: clusters.length })}
            </p>
          ) : null}
          {clusters.map((c) => (
            <label key={c.dataDirectory} className="choice choice--card">
              <input
                type="radio"
                name="cluster"
                value={c.dataDirectory}
                checked={draft.dataDirectory === c.dataDirectory}
                onChange={() => update((d) => ({ ...d, dataDirectory: c.dataDirectory }))}
              />
              <span className="choice__text">
                <span className="choice__title">
                  {t('wizard.cluster.option', { version: c.version, port: c.port })}
                </span>
                <span className="mono choice__detail">{c.dataDirectory}</span>
                <span className="choice__detail">
                  <DatabaseList cluster={c} />
                </span>
                <span className="choice__badges">
                  {c.running ? (
                    <StatusBadge tone="ok">{t('detail.running.yes')}</StatusBadge>
                  ) : (
                    <StatusBadge tone="warn">{t('detail.running.no')}</StatusBadge>
                  )}
                  {c.dataChecksums === false ? (
                    <StatusBadge tone="warn">{t('wizard.cluster.noChecksums')}</StatusBadge>
                  ) : null}
                </span>
              </span>
            </label>
          ))}
        </div>
      )}
      {error ? (
        <p className="field__error" id={`${fieldDomId('cluster')}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Step 2: which cluster, which folders, when, how long to keep, and who hears about problems. */
export function ClusterStep({ server, draft }: { server: Server; draft: ClusterDraft }) {
  const t = useT();
  const summary = useRef<HTMLDivElement>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [focusSummary, setFocusSummary] = useState(0);
  const errors: DraftErrors = showErrors ? validateDraft(draft, server.detection) : {};
  const problems = Object.entries(errors) as [DraftField, NonNullable<DraftErrors[DraftField]>][];
  const update = (change: (d: ClusterDraft) => ClusterDraft) =>
    agentInstallStore.getState().updateDraft(server.id, change);

  useEffect(() => {
    if (focusSummary > 0) summary.current?.focus();
  }, [focusSummary]);

  // Detected only now (connected from this step): the only cluster is the obvious one.
  const suggested = defaultCluster(server.detection)?.dataDirectory ?? null;
  useEffect(() => {
    if (!draft.dataDirectory && suggested)
      agentInstallStore
        .getState()
        .updateDraft(server.id, (d) => ({ ...d, dataDirectory: suggested }));
  }, [draft.dataDirectory, suggested, server.id]);

  function next() {
    const found = validateDraft(draft, server.detection);
    if (Object.keys(found).length > 0) {
      setShowErrors(true);
      setFocusSummary((n) => n + 1);
      return;
    }
    agentInstallStore.getState().goTo(server.id, 'review');
  }

  const section = { draft, errors, update };
  return (
    <div className="wizard-step">
      <StepHeading>{t('wizard.cluster.title')}</StepHeading>
      <p className="muted">{t('wizard.cluster.intro')}</p>

      {problems.length > 0 ? (
        <div
          ref={summary}
          tabIndex={-1}
          className="alert alert--danger"
          role="alert"
          data-testid="wizard-errors"
        >
          <p className="alert__title">{t('wizard.errors.title', { count: problems.length })}</p>
          <ul className="alert__list">
            {problems.map(([field, error]) => (
              <li key={field}>
                <a
                  href={`#${fieldDomId(field)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(fieldDomId(field))?.focus();
                  }}
                >
                  {t(`wizard.field.${field}`)}: {t(error.key, error.params)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="form card">
        <ClusterPicker server={server} {...section} />
        <PathsEditor draft={draft} update={update} />
        <ScheduleFields {...section} />
        <RetentionFields {...section} />
        <AlertsFields {...section} />
      </div>

      <WizardNav
        onBack={() => agentInstallStore.getState().goTo(server.id, 'storage')}
        onNext={next}
      />
    </div>
  );
}
