import type { ReactNode } from 'react';
import { useT } from '../../app/i18n';
import type { ApiError } from '../../lib/api-client';
import type { RunState } from '../../stores/job-run';
import { Button } from '../Button';
import { ErrorAlert } from '../ErrorAlert';

/**
 * A step's way on: Back (when there is a step before) and the primary button, "Weiter" unless
 * the step names its own action. The step that starts the run passes `run`: the button shows
 * `busyLabel` while the run starts, and a refused start is shown above it (`refusal` words it,
 * an ErrorAlert by default).
 */
export function WizardNav({
  onBack,
  onNext,
  nextLabel,
  busyLabel,
  run,
  refusal = (error) => <ErrorAlert error={error} />,
  disabled = false,
  nextTestId,
}: {
  onBack?: () => void;
  onNext(): void;
  nextLabel?: string;
  busyLabel?: string;
  run?: RunState;
  refusal?: (error: ApiError) => ReactNode;
  disabled?: boolean;
  nextTestId?: string;
}) {
  const t = useT();
  const busy = run?.status === 'starting';
  return (
    <>
      {run?.status === 'rejected' ? refusal(run.error) : null}
      <div className="actions wizard-nav">
        {onBack ? <Button onClick={onBack}>{t('wizard.back')}</Button> : null}
        <Button
          variant="primary"
          busy={busy}
          disabled={disabled}
          onClick={onNext}
          data-testid={nextTestId}
        >
          {busy && busyLabel ? busyLabel : (nextLabel ?? t('wizard.next'))}
        </Button>
      </div>
    </>
  );
}
