import type { ReactNode } from 'react';

export interface AlertProps {
  tone: 'danger' | 'warning' | 'info' | 'success';
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  'data-testid'?: string;
}

/**
 * A message box. Danger alerts use role="alert" so screen readers announce them at once;
 * the others are polite status messages.
 */
export function Alert({ tone, title, children, className, ...rest }: AlertProps) {
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      className={['alert', `alert--${tone}`, className ?? ''].filter(Boolean).join(' ')}
      data-testid={rest['data-testid']}
    >
      {title ? <p className="alert__title">{title}</p> : null}
      {children}
    </div>
  );
}
