import { useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { agentInstallStore, useStorage } from '../../stores';
import { SavedTargetView } from '../storage/SavedTargetView';
import { StorageForm } from '../storage/StorageForm';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';

/** Step 1: the bucket, either the one already saved for this server or a new one checked and saved here. */
export function StorageStep({ server }: { server: Server }) {
  const t = useT();
  const target = useStorage((s) => s.targets[server.id]);
  const loadError = useStorage((s) => s.errors[server.id] ?? null);
  const [editing, setEditing] = useState(false);
  const [blocked, setBlocked] = useState(false);
  const [justSaved, setJustSaved] = useState(false);

  function next() {
    if (!target || editing) {
      setBlocked(true);
      return;
    }
    agentInstallStore.getState().goTo(server.id, 'cluster');
  }

  const loading = target === undefined && !loadError;
  return (
    <div className="wizard-step">
      <StepHeading>{t('wizard.storage.title')}</StepHeading>
      <p className="muted">{t('wizard.storage.intro')}</p>
      {loadError ? <ErrorAlert error={loadError} /> : null}
      {loading ? <p className="muted">{t('common.loading')}</p> : null}

      {justSaved && target && !editing ? (
        <Alert tone="success" title={t('storage.saved')} data-testid="storage-saved">
          <p>{t('storage.savedText', { hint: target.accessKeyHint })}</p>
        </Alert>
      ) : null}
      {!loading && target && !editing ? (
        <div className="card">
          <SavedTargetView target={target} />
          <div className="actions">
            <Button
              onClick={() => {
                setEditing(true);
                setJustSaved(false);
              }}
            >
              {t('wizard.storage.change')}
            </Button>
          </div>
        </div>
      ) : null}
      {!loading && (!target || editing) ? (
        <div className="card">
          <StorageForm
            serverId={server.id}
            initial={target ?? null}
            onSaved={() => {
              setEditing(false);
              setBlocked(false);
              setJustSaved(true);
            }}
          />
          {editing ? (
            <div className="actions">
              <Button variant="ghost" onClick={() => setEditing(false)}>
                {t('wizard.storage.keep')}
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}

      {blocked && (!target || editing) ? (
        <Alert tone="danger">{t('wizard.storage.saveFirst')}</Alert>
      ) : null}
      <WizardNav onNext={next} />
    </div>
  );
}
