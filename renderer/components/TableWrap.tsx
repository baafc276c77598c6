import type { ReactNode } from 'react';

/**
 * A table's horizontal scroll container. When the table is wider than the page, keyboard users
 * must be able to scroll it, so the container takes focus and carries the table's name
 * (axe-core: scrollable-region-focusable; it failed on a server's cluster table once the
 * databases and their sizes joined it).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
