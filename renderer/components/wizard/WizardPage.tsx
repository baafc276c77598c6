import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../../app/i18n';
import { useRoute } from '../../app/route';
import { Button } from '../Button';
import { STEP_HEADING_ID } from './StepHeading';

/**
 * The frame every wizard page shares: a heading while its subject is loading or missing, else
 * the title with one way out (`exit`), the steps bar, and the current step. When the step
 * changes, focus moves to the new step's heading, for keyboard and screen reader users.
 */
export function WizardPage({
  ready,
  notFound,
  title,
  exit,
  steps,
  step,
  className = 'wizard',
  children,
}: {
  /** The subject (server) and the wizard's state are there. */
  ready: boolean;
  /** Loading is over and the subject does not exist. */
  notFound: boolean;
  title: string;
  exit: ReactNode;
  /** The steps bar (WizardSteps). */
  steps: ReactNode;
  step: string | undefined;
  className?: string;
  children: ReactNode;
}) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    const first = shownStep.current === undefined;
    shownStep.current = step;
    if (!first) document.getElementById(STEP_HEADING_ID)?.focus();
  }, [step]);

  if (!ready) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {notFound ? t('detail.notFound') : t('common.loading')}
        </h1>
        <Button onClick={() => navigate({ name: 'servers' })}>{t('common.back')}</Button>
      </section>
    );
  }

  return (
    <section aria-labelledby="page-title" className={className}>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        <div className="page-head__actions">{exit}</div>
      </div>
      {steps}
      {children}
    </section>
  );
}
