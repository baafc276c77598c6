import type { enAdmin } from './en-admin';

/** German messages for databases, hints, settings, help and About; English in en-admin.ts. */
export const deAdmin = {
  'detail.col.databases': 'Datenbanken und Größen',
  'databases.list': '{count, plural, one {# Datenbank} other {# Datenbanken}}: {list}',
  'databases.item': '{name} ({size})',
  'databases.none': 'Keine Datenbanken außer den Vorlagen.',
  'databases.unknown':
    'Nicht ermittelt: Der Cluster ist gestoppt oder konnte nicht gefragt werden.',
} as const satisfies Record<keyof typeof enAdmin, string>;
