import { useState } from 'react';
import { useT } from '../app/i18n';
import { Button } from './Button';

/** Copies text to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  }
  return (
    <span className="copy">
      <Button onClick={() => void copy()}>{label ?? t('common.copy')}</Button>
      <span role="status" className="copy__status">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}
