import {
  useEffect,
  useId,
  useRef,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { createPortal } from 'react-dom';

export interface DialogProps {
  title: ReactNode;
  /** Escape, and whatever the caller wires to its cancel button. */
  onCancel(): void;
  children: ReactNode;
  /** The buttons, rendered in the footer. */
  actions: ReactNode;
  /** Focused when the dialog opens; defaults to the first focusable control. */
  initialFocus?: RefObject<HTMLElement | null>;
  tone?: 'default' | 'danger';
  /** `wide` for content with tables (a report); the default suits a question. */
  size?: 'default' | 'wide';
  'data-testid'?: string;
}

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('inert'),
  );
}

let openDialogs = 0;

/** Makes everything but the dialog layer inert while at least one dialog is open. */
function setBackgroundInert(inert: boolean): void {
  const root = document.getElementById('root');
  if (!root) return;
  if (inert) root.setAttribute('inert', '');
  else root.removeAttribute('inert');
}

/**
 * A modal dialog: role="dialog" with aria-modal, labelled by its title, focus kept inside
 * (Tab wraps, the page behind is inert), Escape cancels, focus returns to where it was.
 * Mount it to open it, unmount it to close it.
 */
export function Dialog({
  title,
  onCancel,
  children,
  actions,
  initialFocus,
  tone = 'default',
  size = 'default',
  ...rest
}: DialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;

  // A button that turns busy is disabled and drops focus to <body>, outside the panel's own
  // key handler: Escape must still close the dialog then.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.activeElement && document.activeElement !== document.body) return;
      event.preventDefault();
      cancel.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openDialogs += 1;
    setBackgroundInert(true);
    const target =
      initialFocus?.current ??
      (panel.current ? focusables(panel.current)[0] : undefined) ??
      panel.current;
    target?.focus();

    // Focus can still be moved from outside (e.g. by script); pull it back in.
    const onFocusIn = (event: FocusEvent) => {
      const el = panel.current;
      if (el && event.target instanceof Node && !el.contains(event.target)) {
        (focusables(el)[0] ?? el).focus();
      }
    };
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      openDialogs -= 1;
      if (openDialogs === 0) setBackgroundInert(false);
      if (previous && previous.isConnected) previous.focus();
    };
  }, [initialFocus]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const items = focusables(panel.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  const layer = (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        tabIndex={-1}
        className={`dialog dialog--${tone}${size === 'wide' ? ' dialog--wide' : ''}`}
        onKeyDown={onKeyDown}
        data-testid={rest['data-testid']}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <div id={bodyId} className="dialog__body">
          {children}
        </div>
        <div className="dialog__actions">{actions}</div>
      </div>
    </div>
  );
  return createPortal(layer, document.getElementById('modal-root') ?? document.body);
}
