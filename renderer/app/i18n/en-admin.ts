/**
 * English messages for what admins expect beside the main flows (issue 16 §5): databases in the
 * cluster picker, the unreachable-server hint, settings, help, About. Merged into `en`; German
 * in de-admin.ts.
 */
export const enAdmin = {
  'detail.col.databases': 'Databases and sizes',
  'databases.list': '{count, plural, one {# database} other {# databases}}: {list}',
  'databases.item': '{name} ({size})',
  'databases.none': 'No databases besides the templates.',
  'databases.unknown': 'Not listed: the cluster is stopped or could not be asked.',
} as const;
