import { useT } from '../../app/i18n';
import { stepIndex, WIZARD_STEPS, type WizardStep } from '../../stores/agent-install-model';

export type StepStatus = 'done' | 'current' | 'upcoming';

/**
 * The five steps as an ordered list: ✓ for done ones, the current one marked aria-current,
 * and each state also in words for screen readers. Done steps are buttons when going back is allowed.
 */
export function WizardProgress({
  step,
  canGoBack,
  onGoTo,
}: {
  step: WizardStep;
  canGoBack: boolean;
  onGoTo(step: WizardStep): void;
}) {
  const t = useT();
  const current = stepIndex(step);
  return (
    <nav aria-label={t('wizard.progress')} className="wizard-progress">
      <p className="wizard-progress__count">
        {t('wizard.stepOf', { n: current + 1, total: WIZARD_STEPS.length })}
      </p>
      <ol className="wizard-steps">
        {WIZARD_STEPS.map((s, i) => {
          const status: StepStatus = i < current ? 'done' : i === current ? 'current' : 'upcoming';
          const content = (
            <>
              <span className="wizard-steps__mark" aria-hidden="true">
                {status === 'done' ? '✓' : i + 1}
              </span>
              <span className="wizard-steps__label">{t(`wizard.step.${s}`)}</span>
              <span className="visually-hidden"> ({t(`wizard.stepState.${status}`)})</span>
            </>
          );
          return (
            <li
              key={s}
              className={`wizard-steps__item wizard-steps__item--${status}`}
              aria-current={status === 'current' ? 'step' : undefined}
              data-testid={`wizard-step-${s}`}
              data-status={status}
            >
              {status === 'done' && canGoBack ? (
                <button type="button" className="wizard-steps__button" onClick={() => onGoTo(s)}>
                  {content}
                </button>
              ) : (
                <span className="wizard-steps__button">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
