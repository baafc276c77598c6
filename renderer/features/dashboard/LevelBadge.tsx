import type { TileLevel } from '../../../shared/contract/agent';
import { useT } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { levelLabelKey, levelTone } from './levels';

const MARKS: Record<TileLevel, string> = { ok: '✓', warning: '!', critical: '✗', unknown: '?' };

/** A level in words, with a mark and a colour that only repeat what the words say. */
export function LevelBadge({ level }: { level: TileLevel }) {
  const t = useT();
  return (
    <StatusBadge tone={levelTone(level)}>
      <span aria-hidden="true">{MARKS[level]} </span>
      {t(levelLabelKey(level))}
    </StatusBadge>
  );
}
