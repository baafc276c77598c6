import { useT } from '../../app/i18n';
import { RESTORE_STEPS, restoreStepIndex, type RestoreStep } from '../../stores/restore-model';

/**
 * The restore's five steps as an ordered list: ✓ for done ones, the current one marked
 * aria-current, each state also in words. Done steps before the run are buttons while
 * going back is allowed.
 */
export function RestoreSteps({
  step,
  canGoBack,
  onGoTo,
}: {
  step: RestoreStep;
  canGoBack: boolean;
  onGoTo(step: RestoreStep): void;
}) {
  const t = useT();
  const current = restoreStepIndex(step);
  const run = restoreStepIndex('run');
  return (
    <nav aria-label={t('restore.progress')} className="wizard-progress">
      <p className="wizard-progress__count">
        {t('wizard.stepOf', { n: current + 1, total: RESTORE_STEPS.length })}
      </p>
      <ol className="wizard-steps">
        {RESTORE_STEPS.map((s, i) => {
          const status = i < current ? 'done' : i === current ? 'current' : 'upcoming';
          const content = (
            <>
              <span className="wizard-steps__mark" aria-hidden="true">
                {status === 'done' ? '✓' : i + 1}
              </span>
              <span className="wizard-steps__label">{t(`restore.step.${s}`)}</span>
              <span className="visually-hidden"> ({t(`wizard.stepState.${status}`)})</span>
            </>
          );
          return (
            <li
              key={s}
              className={`wizard-steps__item wizard-steps__item--${status}`}
              aria-current={status === 'current' ? 'step' : undefined}
              data-testid={`restore-step-${s}`}
              data-status={status}
            >
              {status === 'done' && canGoBack && i < run ? (
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
