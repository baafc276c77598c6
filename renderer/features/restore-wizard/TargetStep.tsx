import { useEffect, useId, useRef, useState } from 'react';
import type { Catalog, CatalogBackup } from '../../../shared/contract/recovery';
import { useLang, useT } from '../../app/i18n';
import { formatBytes } from '../../lib/format';
import { formatMoment } from '../../lib/zoned-time';
import type { RestoreWizard } from '../../stores/restore';
import { targetProblem, type TargetDraft } from '../../stores/restore-model';
import { restoreStore } from '../../stores';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';
import { MomentField } from '../timeline/MomentField';

function backupTime(b: CatalogBackup): number {
  return Date.parse(b.timeStop ?? b.timeStart ?? '') || 0;
}

function PointChoices({
  catalog,
  selected,
  onSelect,
  zone,
  name,
}: {
  catalog: Catalog | null;
  selected: string | null;
  onSelect(label: string): void;
  zone: string;
  name: string;
}) {
  const t = useT();
  const lang = useLang();
  if (!catalog) return <p className="muted">{t('catalog.loading')}</p>;
  const points = [...catalog.backups].sort((a, b) => backupTime(b) - backupTime(a));
  if (points.length === 0) return <p className="muted">{t('points.none')}</p>;
  return (
    <div className="point-choices" data-testid="point-choices">
      {points.map((b) => {
        const at = b.timeStop ?? b.timeStart;
        return (
          <label key={b.label} className="choice choice--card">
            <input
              type="radio"
              name={name}
              value={b.label}
              checked={selected === b.label}
              onChange={() => onSelect(b.label)}
            />
            <span className="choice__text">
              <span className="choice__title">
                {at ? formatMoment(at, lang, zone) : t('common.unknown')}
                {' · '}
                {b.tier ? t(`tier.${b.tier}`) : t(`backupType.${b.type}`)}
              </span>
              <span className="mono choice__detail">{b.label}</span>
              <span className="muted choice__detail">
                {t(`backupType.${b.type}`)}
                {b.sizeBytes !== null ? ` · ${formatBytes(b.sizeBytes, lang)}` : ''}
                {b.manifest ? ` · ${t(`points.signature.${b.manifest.signature}`)}` : ''}
              </span>
            </span>
          </label>
        );
      })}
    </div>
  );
}

/**
 * What to restore, as three choices: a moment to the second (starting at the newest restorable
 * one), a recovery point of the catalog, or the latest moment captured. The restore and the
 * rebuild wizard both ask it.
 */
export function TargetChoices({
  target,
  catalog,
  zone,
  onChoose,
}: {
  target: TargetDraft;
  catalog: Catalog | null;
  zone: string;
  onChoose(target: TargetDraft): void;
}) {
  const t = useT();
  const groupName = useId();
  const choose = onChoose;
  const radio = (kind: TargetDraft['kind'], label: string, initial: () => TargetDraft) => (
    <label className="choice choice--strong">
      <input
        type="radio"
        name={groupName}
        value={kind}
        checked={target.kind === kind}
        onChange={() => choose(initial())}
      />
      {label}
    </label>
  );

  return (
    <fieldset className="fieldset" data-testid="target-choices">
      <legend>{t('restore.target.legend')}</legend>
      {radio('time', t('restore.target.time'), () => ({
        kind: 'time',
        time: catalog?.lastRestorable
          ? Math.floor(Date.parse(catalog.lastRestorable) / 1000) * 1000
          : null,
      }))}
      {target.kind === 'time' ? (
        <div className="subfields">
          <MomentField
            label={t('restore.target.moment')}
            value={target.time}
            zone={zone}
            data-testid="target-moment"
            onChange={(time) => choose({ kind: 'time', time })}
          />
        </div>
      ) : null}
      {radio('point', t('restore.target.point'), () => ({ kind: 'point', label: null }))}
      {target.kind === 'point' ? (
        <div className="subfields">
          <PointChoices
            catalog={catalog}
            selected={target.label}
            zone={zone}
            name={`${groupName}-point`}
            onSelect={(label) => choose({ kind: 'point', label })}
          />
        </div>
      ) : null}
      {radio('latest', t('restore.target.latest'), () => ({ kind: 'latest' }))}
      {target.kind === 'latest' ? (
        <p className="field__hint subfields">{t('restore.target.latestHint')}</p>
      ) : null}
    </fieldset>
  );
}

/** Step 1: a moment to the second, a recovery point, or the latest moment captured. */
export function TargetStep({
  serverId,
  wizard,
  catalog,
  zone,
}: {
  serverId: string;
  wizard: RestoreWizard;
  catalog: Catalog | null;
  zone: string;
}) {
  const t = useT();
  const errorRef = useRef<HTMLParagraphElement>(null);
  // Counts refused Next clicks: each one moves focus to the message again.
  const [refusals, setRefusals] = useState(0);
  const showError = refusals > 0;
  const store = restoreStore.getState();
  const { target } = wizard;
  const problem = targetProblem(target);

  const choose = (next: TargetDraft) => {
    setRefusals(0);
    store.setTarget(serverId, next);
  };
  function next() {
    if (problem) {
      setRefusals((n) => n + 1);
      return;
    }
    store.goTo(serverId, 'destination');
  }

  useEffect(() => {
    if (refusals > 0) errorRef.current?.focus();
  }, [refusals]);

  return (
    <div className="wizard-step">
      <StepHeading>{t('restore.target.title')}</StepHeading>
      <p className="muted">{t('restore.target.intro')}</p>
      <TargetChoices target={target} catalog={catalog} zone={zone} onChoose={choose} />
      {showError && problem ? (
        <p className="field__error" ref={errorRef} tabIndex={-1} role="alert">
          {t(problem)}
        </p>
      ) : null}
      <WizardNav onNext={next} />
    </div>
  );
}
