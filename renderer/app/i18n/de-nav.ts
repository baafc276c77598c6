import type { enNav } from './en-nav';

/**
 * Deutsche Texte zur Navigation: die Unternavigation eines Servers und die Seite für eine
 * Adresse, die keine Seite nennt. In `de` eingemischt; Englisch in en-nav.ts.
 */
export const deNav = {
  'nav.server': 'Seiten von {name}',
  'nav.server.status': 'Status',
  'nav.server.timeline': 'Zeitleiste',
  'nav.server.records': 'Datensatz-Verlauf',
  'nav.server.drills': 'Wiederherstellungsübungen',
  'nav.server.connection': 'Verbindung',
  'nav.notFound.title': 'Seite nicht gefunden',
  'nav.notFound.body':
    'Unter dieser Adresse gibt es keine Seite der Konsole. Der Link ist vielleicht veraltet oder vertippt; beginnen Sie wieder bei der Übersicht.',
  'nav.notFound.home': 'Zur Übersicht',
} as const satisfies { readonly [K in keyof typeof enNav]: string };
