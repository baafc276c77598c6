import { useState } from 'react';
import { useLang, useT } from '../../app/i18n';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';
import { formatMoment } from '../../lib/zoned-time';
import type { RebuildWizard } from '../../stores/rebuild';
import { targetProblem } from '../../stores/restore-model';
import { rebuildStore } from '../../stores';
import { TargetChoices } from '../restore-wizard/TargetStep';

/** Step 2: the latest state in the bucket (the default after a disaster), a point or a moment. */
export function RebuildTargetStep({ wizard, zone }: { wizard: RebuildWizard; zone: string }) {
  const t = useT();
  const lang = useLang();
  const [tried, setTried] = useState(false);
  const store = rebuildStore.getState();
  const { target, catalog, source } = wizard;
  const problem = targetProblem(target);
  const until = source?.imported?.restorableUntil ?? catalog?.lastRestorable ?? null;

  return (
    <div className="wizard-step">
      <StepHeading>{t('rebuild.target.title', { name: source?.name ?? '' })}</StepHeading>
      {source?.imported ? (
        <p data-testid="rebuild-imported-summary">
          {t('rebuild.target.imported', {
            points: source.imported.recoveryPoints,
            verified: source.imported.verifiedManifests,
          })}
        </p>
      ) : null}
      <p className="muted">
        {until
          ? t('rebuild.target.until', { at: formatMoment(until, lang, zone) })
          : t('rebuild.target.untilUnknown')}
      </p>
      <TargetChoices
        target={target}
        catalog={catalog}
        zone={zone}
        onChoose={(next) => store.setTarget(next)}
      />
      {tried && problem ? (
        <p className="field__error" role="alert">
          {t(problem)}
        </p>
      ) : null}
      <WizardNav
        onBack={() => store.goTo('kit')}
        onNext={() => {
          setTried(true);
          if (!problem) store.goTo('host');
        }}
        nextTestId="rebuild-target-next"
      />
    </div>
  );
}
