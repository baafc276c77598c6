import { useT } from '../../app/i18n';

export type StepStatus = 'done' | 'current' | 'upcoming';

/**
 * A wizard's steps as an ordered list: ✓ for done ones, the current one marked aria-current,
 * and each state also in words for screen readers. A done step is a button when the wizard
 * lets the admin go back to it (`canGoTo`).
 */
export function WizardSteps<S extends string>({
  steps,
  step,
  label,
  ariaLabel,
  testIdPrefix,
  canGoTo,
  onGoTo,
}: {
  steps: readonly S[];
  step: S;
  label(step: S): string;
  ariaLabel: string;
  /** Each item's test id is `${testIdPrefix}-${step}`. */
  testIdPrefix: string;
  canGoTo(step: S, index: number): boolean;
  onGoTo(step: S): void;
}) {
  const t = useT();
  const current = steps.indexOf(step);
  return (
    <nav aria-label={ariaLabel} className="wizard-progress">
      <p className="wizard-progress__count">
        {t('wizard.stepOf', { n: current + 1, total: steps.length })}
      </p>
      <ol className="wizard-steps">
        {steps.map((s, i) => {
          const status: StepStatus = i < current ? 'done' : i === current ? 'current' : 'upcoming';
          const content = (
            <>
              <span className="wizard-steps__mark" aria-hidden="true">
                {status === 'done' ? '✓' : i + 1}
              </span>
              <span className="wizard-steps__label">{label(s)}</span>
              <span className="visually-hidden"> ({t(`wizard.stepState.${status}`)})</span>
            </>
          );
          return (
            <li
              key={s}
              className={`wizard-steps__item wizard-steps__item--${status}`}
              aria-current={status === 'current' ? 'step' : undefined}
              data-testid={`${testIdPrefix}-${s}`}
              data-status={status}
            >
              {status === 'done' && canGoTo(s, i) ? (
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
