import { useId, useState } from 'react';
import { useT } from '../../app/i18n';
import { Field } from '../../components/Field';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';
import type { RebuildWizard } from '../../stores/rebuild';
import { hostCandidates, parsePort } from '../../stores/rebuild-model';
import { rebuildStore, useServers } from '../../stores';
import { NewHostForm } from './NewHostForm';

/**
 * Step 3: the fresh host the cluster is rebuilt on (a connected server, or one added here
 * with its host key confirmed) and the new cluster's port.
 */
export function HostStep({ wizard }: { wizard: RebuildWizard }) {
  const t = useT();
  const group = useId();
  const store = rebuildStore.getState();
  const hosts = hostCandidates(useServers((s) => s.servers));
  const [tried, setTried] = useState(false);
  const portOk = parsePort(wizard.port) !== null;
  const problem = !wizard.hostId
    ? t('rebuild.host.missing')
    : !portOk
      ? t('rebuild.host.badPort')
      : null;

  return (
    <div className="wizard-step">
      <StepHeading>{t('rebuild.host.title')}</StepHeading>
      <p className="muted">{t('rebuild.host.intro')}</p>
      {hosts.length > 0 ? (
        <fieldset className="fieldset" data-testid="rebuild-hosts">
          <legend>{t('rebuild.host.legend')}</legend>
          {hosts.map((h) => (
            <label key={h.id} className="choice choice--strong">
              <input
                type="radio"
                name={group}
                value={h.id}
                checked={wizard.hostId === h.id}
                onChange={() => store.setHost(h.id)}
              />
              {h.name} <span className="mono muted">{`${h.user}@${h.host}:${h.port}`}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <NewHostForm />
      <div className="form card">
        <Field
          label={t('rebuild.host.port')}
          hint={t('rebuild.host.portHint')}
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          value={wizard.port}
          onChange={(e) => store.setPort(e.target.value)}
          className="field__input--short"
          data-testid="rebuild-port"
        />
      </div>
      {tried && problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      <WizardNav
        onBack={() => store.goTo('target')}
        onNext={() => {
          setTried(true);
          if (!problem) store.goTo('plan');
        }}
        nextTestId="rebuild-host-next"
      />
    </div>
  );
}
