/**
 * English messages for navigation: the server sub-navigation and the page shown for an address
 * that names no page. Merged into `en`; German in de-nav.ts.
 */
export const enNav = {
  'nav.server': 'Pages of {name}',
  'nav.server.status': 'Status',
  'nav.server.timeline': 'Timeline',
  'nav.server.records': 'Record history',
  'nav.server.drills': 'Restore drills',
  'nav.server.connection': 'Connection',
  'nav.notFound.title': 'Page not found',
  'nav.notFound.body':
    'This address names no page of the console. The link may be old or mistyped; start again from the overview.',
  'nav.notFound.home': 'Go to the overview',
} as const;
