import type { ReactNode } from 'react';

export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'neutral';

/** A small coloured label. The text carries the meaning; colour only repeats it. */
export function StatusBadge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
