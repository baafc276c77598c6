import { useState } from 'react';
import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapEdits } from '../../../shared/gdpr/subject-map-schema';
import { useT } from '../../app/i18n';
import { MapEditor } from './MapEditor';
import { MapGraph } from './MapGraph';
import { SubjectMapList } from './SubjectMapList';

type View = 'graph' | 'list';
const STORAGE_KEY = 'kumiko.gdpr.mapView';

function savedView(): View {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'list' ? 'list' : 'graph';
  } catch {
    return 'graph';
  }
}

/**
 * The subject map as a graph or as a list with its editor (issue 17 §1): the same map and the
 * same edits either way. The list stays as the accessible alternative (a graph is hard to take
 * in with a screen reader); the choice is remembered.
 */
export function MapView({
  result,
  busy,
  onPreview,
}: {
  result: GdprMapResult;
  busy: boolean;
  onPreview(edits: MapEdits): void;
}) {
  const t = useT();
  const [view, setView] = useState<View>(savedView);

  function choose(next: View) {
    setView(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but switched.
    }
  }

  return (
    <>
      <div className="map-view-toggle" role="group" aria-label={t('gdpr.view.label')}>
        {(['graph', 'list'] as const).map((v) => (
          <button
            key={v}
            type="button"
            className="btn btn--secondary"
            aria-pressed={view === v}
            onClick={() => choose(v)}
          >
            {t(`gdpr.view.${v}`)}
          </button>
        ))}
      </div>
      {view === 'graph' ? (
        <MapGraph result={result} busy={busy} onPreview={onPreview} />
      ) : (
        <>
          <SubjectMapList result={result} />
          <MapEditor
            key={JSON.stringify(result.edits)}
            result={result}
            busy={busy}
            onPreview={onPreview}
          />
        </>
      )}
    </>
  );
}
