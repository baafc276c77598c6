import { describe, expect, it, vi } from 'vitest';
import type { GdprMapResult } from '../../shared/contract/gdpr';
import type { MapLink } from '../../shared/gdpr/subject-map-schema';
import type { Lang } from '../../renderer/lib/format';

// The subject map's graph on the page (issue 17 §1): every table and every path is a button
// (Tab reaches it, Enter opens its edit) worded from the de/en catalogs; the lines are drawn for
// the eye only. Rendered to static HTML; the model and edits are tested in gdpr-map-graph.

const link = (over: Partial<MapLink> & Pick<MapLink, 'id'>): MapLink => ({
  source: 'foreign-key',
  childSchema: 'public',
  childTable: 'invoice',
  childColumns: ['customer_id'],
  parentSchema: 'public',
  parentTable: 'customer',
  parentColumns: ['customer_id'],
  followed: true,
  ...over,
});

const result: GdprMapResult = {
  map: {
    format: 'kumiko-subject-map-1',
    database: 'shop',
    root: { schema: 'public', table: 'customer', column: 'customer_id' },
    tables: [
      {
        schema: 'public',
        table: 'customer',
        action: 'delete',
        personalColumns: ['first_name', 'email'],
        fileColumns: [],
      },
      {
        schema: 'public',
        table: 'invoice',
        action: 'anonymise',
        personalColumns: ['billing_address'],
        fileColumns: ['scan_path'],
      },
    ],
    links: [
      link({ id: 'public.invoice.invoice_customer_fk' }),
      link({
        id: 'public.invoice.invoice_payer_fk',
        childColumns: ['payer_id'],
        followed: false,
        why: 'excluded',
      }),
      link({
        id: 'public.customer.customer_referred_fk',
        childTable: 'customer',
        childColumns: ['referred_by'],
        followed: false,
        why: 'self-reference',
      }),
    ],
    schemaFingerprint: '0'.repeat(64),
  },
  edits: { excluded: ['public.invoice.invoice_payer_fk'] },
  version: 1,
  drift: [],
};

async function graphHtml(lang: Lang): Promise<string> {
  vi.resetModules();
  Object.assign(globalThis, { navigator: { language: lang } });
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const { MapGraph } = await import('../../renderer/features/gdpr/MapGraph');
  return renderToStaticMarkup(
    createElement(MapGraph, { result, busy: false, onPreview: () => undefined }),
  );
}

describe('the subject map graph on the page', () => {
  it('draws every table and path as a button, in German first', async () => {
    const de = await graphHtml('de');
    const buttons = [...de.matchAll(/<button type="button" class="map-(node|edge)[ "]/g)];
    expect(buttons).toHaveLength(2 + 3);
    expect(de).toContain('data-table="public.customer"');
    expect(de).toContain('Ausgangspunkt: customer_id');
    expect(de).toContain('Bei Löschung: personenbezogene Spalten werden geleert');
    expect(de).toContain('ausgeschlossen, nicht verfolgt');
    expect(de).toContain('Selbstbezug, nicht verfolgt');
    expect(de).toContain('Personenkarte von shop');
  });

  it('words it in English, the lines hidden from assistive technology', async () => {
    const en = await graphHtml('en');
    expect(en).toContain('Starting point: customer_id');
    expect(en).toContain('On erasure: rows deleted');
    expect(en).toContain('excluded, not followed');
    expect(en).toMatch(/<svg class="map-graph__lines"[^>]*aria-hidden="true"/);
    // A path's button reads as the list's words for it.
    expect(en).toMatch(
      /data-link="public\.invoice\.invoice_customer_fk"[^>]*><span[^>]*>invoice\.customer_id →<\/span><span[^>]*> customer\.customer_id<\/span><\/button>/,
    );
  });
});
