import type { PhaseItem, PhaseStatus } from '../stores/job-run';
import { useT } from '../app/i18n';

const MARKS: Record<PhaseStatus, string> = {
  done: '✓',
  current: '…',
  failed: '✗',
  cancelled: '–',
  pending: '',
};

/**
 * A job's phases as a list (install, restore, drill): each done, current, failed, cancelled or
 * still to come, with a mark for the eye and the state in words for screen readers.
 */
export function PhaseList({
  items,
  label,
  ariaLabel,
  testId,
}: {
  items: readonly PhaseItem[];
  /** The phase's name in the current language. */
  label: (id: string) => string;
  ariaLabel: string;
  testId: string;
}) {
  const t = useT();
  return (
    <ol className="phases" aria-label={ariaLabel} data-testid={testId}>
      {items.map((item) => (
        <li
          key={item.id}
          className={`phases__item phases__item--${item.status}`}
          data-status={item.status}
          data-phase={item.id}
          aria-current={item.status === 'current' ? 'step' : undefined}
        >
          <span className="phases__mark" aria-hidden="true">
            {MARKS[item.status]}
          </span>
          <span className="phases__label">{label(item.id)}</span>
          <span className="phases__state">{t(`install.phaseState.${item.status}`)}</span>
        </li>
      ))}
    </ol>
  );
}
