import { useEffect, useId, useState } from 'react';
import type { Server } from '../../../shared/contract/domain';
import { useT } from '../../app/i18n';
import { SelectField } from '../../components/Field';
import type { RestoreWizard } from '../../stores/restore';
import { destinationProblem } from '../../stores/restore-model';
import { restoreStore, useServers } from '../../stores';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';

/**
 * Step 2: a scratch cluster on the same server (new data directory and port, never the
 * production one), or another server chosen from the list.
 */
export function DestinationStep({ server, wizard }: { server: Server; wizard: RestoreWizard }) {
  const t = useT();
  const groupName = useId();
  const selectId = useId();
  const servers = useServers((s) => s.servers);
  const others = servers.filter((x) => x.id !== server.id);
  const [refusals, setRefusals] = useState(0);
  const store = restoreStore.getState();
  const { destination } = wizard;
  const problem = destinationProblem(destination);

  useEffect(() => {
    if (refusals > 0) document.getElementById(selectId)?.focus();
  }, [refusals, selectId]);

  function next() {
    if (problem) {
      setRefusals((n) => n + 1);
      return;
    }
    store.goTo(server.id, 'summary');
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('restore.destination.title')}</StepHeading>
      <fieldset className="fieldset" data-testid="destination-choices">
        <legend>{t('restore.destination.legend')}</legend>
        <label className="choice choice--card">
          <input
            type="radio"
            name={groupName}
            value="scratch"
            checked={destination.kind === 'scratch'}
            onChange={() => store.setDestination(server.id, { kind: 'scratch' })}
          />
          <span className="choice__text">
            <span className="choice__title">
              {t('restore.destination.scratch', { name: server.name })}
            </span>
            <span className="muted choice__detail">{t('restore.destination.scratchHint')}</span>
          </span>
        </label>
        <label className="choice choice--card">
          <input
            type="radio"
            name={groupName}
            value="host"
            checked={destination.kind === 'host'}
            disabled={others.length === 0}
            onChange={() =>
              store.setDestination(server.id, { kind: 'host', serverId: others[0]?.id ?? null })
            }
          />
          <span className="choice__text">
            <span className="choice__title">{t('restore.destination.host')}</span>
            <span className="muted choice__detail">
              {others.length === 0
                ? t('restore.destination.noOtherServer')
                : t('restore.destination.hostHint')}
            </span>
          </span>
        </label>
        {destination.kind === 'host' ? (
          <div className="subfields">
            <SelectField
              id={selectId}
              label={t('restore.destination.server')}
              value={destination.serverId ?? ''}
              error={refusals > 0 && problem ? t(problem) : undefined}
              onChange={(e) =>
                store.setDestination(server.id, {
                  kind: 'host',
                  serverId: e.target.value || null,
                })
              }
            >
              <option value="">{t('restore.destination.choose')}</option>
              {others.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.host})
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
      </fieldset>
      <WizardNav onBack={() => store.goTo(server.id, 'target')} onNext={next} />
    </div>
  );
}
