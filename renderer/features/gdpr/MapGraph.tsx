import { useId, useMemo, useState } from 'react';
import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapEdits } from '../../../shared/gdpr/subject-map-schema';
import { useT, type Translate } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import './gdpr.css';
import { AddLinkDialog, PathDialog, TableDialog } from './MapGraphDialogs';
import { editStateOf, followHidden, hiddenExcluded, toMapEdits, type EditState } from './map-edits';
import {
  layoutMapGraph,
  pathOf,
  type EdgeState,
  type GraphEdge,
  type GraphNode,
  type Wrapped,
} from './map-graph-model';

type Open =
  | { kind: 'table'; key: string }
  | { kind: 'path'; id: string }
  | { kind: 'add'; parent: string }
  | null;

function edgeWord(t: Translate, state: EdgeState, added: boolean): string | null {
  if (added)
    return t(state === 'followed' ? 'gdpr.graph.edge.added' : 'gdpr.graph.edge.addedExcluded');
  if (state === 'excluded') return t('gdpr.graph.edge.excluded');
  if (state === 'self-reference') return t('gdpr.graph.edge.selfReference');
  return null;
}

/**
 * Lines of text inside a button: spans (phrasing content, shown as blocks by gdpr.css), with a
 * space before each but the first (unless `leading`), so the button's name reads as words.
 */
function Lines({
  lines,
  className,
  leading = false,
}: {
  lines: readonly string[];
  className: string;
  leading?: boolean;
}) {
  return lines.map((line, i) => (
    <span key={i} className={className}>
      {i > 0 || leading ? ' ' : ''}
      {line}
    </span>
  ));
}

function ColumnLines({ heading, wrapped }: { heading: string; wrapped: Wrapped }) {
  const t = useT();
  const lines = wrapped.lines.length > 0 ? wrapped.lines : [t('common.none')];
  return (
    <>
      <span className="map-graph__line map-graph__line--heading"> {heading}</span>
      <Lines lines={lines} className="map-graph__line map-graph__line--mono" leading />
      {wrapped.more > 0 ? (
        <span className="map-graph__line"> {t('gdpr.graph.more', { count: wrapped.more })}</span>
      ) : null}
    </>
  );
}

function NodeBox({ node, onOpen }: { node: GraphNode; onOpen(): void }) {
  const t = useT();
  return (
    <button
      type="button"
      className={`map-node${node.rootColumn ? ' map-node--root' : ''}`}
      style={{
        left: node.x - node.width / 2,
        top: node.y - node.height / 2,
        width: node.width,
        height: node.height,
      }}
      onClick={onOpen}
      data-testid="gdpr-graph-node"
      data-table={node.key}
      data-action={node.table.action}
    >
      <span className="map-graph__line map-graph__line--title">{node.key}</span>
      {node.rootColumn ? (
        <span className="map-graph__line">
          {' '}
          {t('gdpr.graph.root', { column: node.rootColumn })}
        </span>
      ) : null}
      <span className="map-graph__line map-node__action">
        {' '}
        {t('gdpr.graph.onErase', { action: t(`gdpr.map.action.${node.table.action}`) })}
      </span>
      <ColumnLines heading={t('gdpr.graph.personal')} wrapped={node.personal} />
      <ColumnLines heading={t('gdpr.graph.files')} wrapped={node.files} />
    </button>
  );
}

function EdgeLabel({ edge, onOpen }: { edge: GraphEdge; onOpen(): void }) {
  const mods = [`map-edge--${edge.state}`, edge.added ? 'map-edge--added' : ''].join(' ');
  return (
    <button
      type="button"
      className={`map-edge ${mods}`}
      style={{
        left: edge.x - edge.width / 2,
        top: edge.y - edge.height / 2,
        width: edge.width,
        height: edge.height,
      }}
      onClick={onOpen}
      data-testid="gdpr-graph-edge"
      data-link={edge.link.id}
      data-state={edge.state}
    >
      <Lines lines={edge.lines} className="map-graph__line map-graph__line--mono" />
    </button>
  );
}

/**
 * The subject map as a graph the DPO edits (issue 17 §1): tables as boxes with their erasure
 * action and marked columns, paths as lines labelled with the columns they join. Every box and
 * label is a button (Tab reaches it, Enter opens its edit); an edit builds the changed map at
 * once through the same `onPreview` as the list editor, and "Save this map" stores it.
 */
export function MapGraph({
  result,
  busy,
  onPreview,
}: {
  result: GdprMapResult;
  busy: boolean;
  onPreview(edits: MapEdits): void;
}) {
  const t = useT();
  const markerId = `map-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const graph = useMemo(
    () => layoutMapGraph(result.map, { edgeState: (state, added) => edgeWord(t, state, added) }),
    [result.map, t],
  );
  const state = useMemo(() => editStateOf(result), [result]);
  const hidden = hiddenExcluded(state, result);
  const [open, setOpen] = useState<Open>(null);

  function apply(next: EditState) {
    setOpen(null);
    onPreview(toMapEdits(next, result));
  }
  // A preview in flight builds on the map shown; edits wait for the new one.
  const choose = (next: Open) => {
    if (!busy) setOpen(next);
  };

  const openTable = open?.kind === 'table' ? graph.nodes.find((n) => n.key === open.key) : null;
  const openPath = open?.kind === 'path' ? graph.edges.find((e) => e.link.id === open.id) : null;

  return (
    <div className="card" data-testid="gdpr-map-graph">
      <h2>{t('gdpr.map.title', { database: result.map.database })}</h2>
      {result.drift.length > 0 ? (
        <Alert tone="warning" title={t('gdpr.map.drift', { changes: result.drift.join('; ') })} />
      ) : null}
      <p className="muted">{t('gdpr.graph.intro')}</p>
      <div className="map-graph__toolbar">
        <Button onClick={() => choose({ kind: 'add', parent: '' })} disabled={busy}>
          {t('gdpr.graph.addLink')}
        </Button>
      </div>
      <div className="map-graph__scroll">
        <div
          className="map-graph"
          role="group"
          aria-label={t('gdpr.graph.label')}
          style={{ width: graph.width, height: graph.height }}
        >
          <svg
            className="map-graph__lines"
            width={graph.width}
            height={graph.height}
            aria-hidden="true"
            focusable="false"
          >
            <defs>
              <marker
                id={markerId}
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="8"
                markerHeight="8"
                orient="auto-start-reverse"
              >
                {/* Reversed at the path's start: the tip on the referenced table's border. */}
                <path d="M0 0 L10 5 L0 10 z" className="map-graph__arrow" />
              </marker>
            </defs>
            {graph.edges.map((edge) => (
              <path
                key={edge.link.id}
                d={pathOf(edge.points)}
                className={`map-graph__path map-graph__path--${edge.state}${edge.added ? ' map-graph__path--added' : ''}`}
                markerStart={`url(#${markerId})`}
              />
            ))}
          </svg>
          {graph.nodes.map((node) => (
            <NodeBox
              key={node.key}
              node={node}
              onOpen={() => choose({ kind: 'table', key: node.key })}
            />
          ))}
          {graph.edges.map((edge) => (
            <EdgeLabel
              key={edge.link.id}
              edge={edge}
              onOpen={() => choose({ kind: 'path', id: edge.link.id })}
            />
          ))}
        </div>
      </div>
      {hidden.length > 0 ? (
        <div className="map-graph__hidden">
          <h3>{t('gdpr.graph.hidden')}</h3>
          <ul>
            {hidden.map((id) => (
              <li key={id}>
                <Button
                  disabled={busy}
                  onClick={() => apply(followHidden(state, id))}
                  data-link={id}
                >
                  {t('gdpr.graph.followAgain', { id })}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {openTable ? (
        <TableDialog
          node={openTable}
          state={state}
          onApply={apply}
          onAddLink={() => setOpen({ kind: 'add', parent: `${openTable.key}.` })}
          onCancel={() => setOpen(null)}
        />
      ) : null}
      {openPath ? (
        <PathDialog edge={openPath} state={state} onApply={apply} onCancel={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'add' ? (
        <AddLinkDialog
          parent={open.parent}
          state={state}
          onApply={apply}
          onCancel={() => setOpen(null)}
        />
      ) : null}
    </div>
  );
}
