import type { ReactNode } from 'react';

/** Id of the current step's heading: the wizard moves focus here when the step changes. */
export const STEP_HEADING_ID = 'wizard-step-title';

export function StepHeading({ children }: { children: ReactNode }) {
  return (
    <h2 id={STEP_HEADING_ID} tabIndex={-1} className="wizard-step__title">
      {children}
    </h2>
  );
}
