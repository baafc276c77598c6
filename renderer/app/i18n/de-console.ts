import type { enConsole } from './en-console';

/**
 * Deutsche Texte der Konsolenseiten zur Verbindung eines Servers (Hinweis bei einem nicht
 * erreichbaren Server, Bearbeiten der Adresse). Englisch in en-console.ts.
 */
export const deConsole = {
  'address.hint.title': 'Der Server antwortet nicht über SSH. Prüfen Sie der Reihe nach:',
  'address.hint.host':
    'Ist {host} der richtige Hostname oder die richtige IP-Adresse, und lässt sich der Name von diesem Computer aus auflösen?',
  'address.hint.port': 'Lauscht sshd dort auf Port {port} (ss -tlnp | grep sshd)?',
  'address.hint.firewall':
    'Lässt eine Firewall zwischen diesem Computer und dem Server oder auf dem Server selbst Port {port} durch?',
  'address.hint.sshd':
    'Läuft sshd auf dem Server (systemctl status ssh)? Verbinden Sie sich dann erneut oder korrigieren Sie die Verbindung unten.',
  'address.edit': 'Verbindung bearbeiten',
  'address.intro':
    'Host, SSH-Port und SSH-Benutzer dieses Servers. Der private Schlüssel und der hinterlegte Host-Schlüssel bleiben, wie sie sind.',
  'address.newHost':
    'Ein neuer Host gilt als anderer Rechner: Nach dem Speichern verbindet sich die Konsole, und Sie bestätigen seinen Fingerabdruck erneut.',
  'address.save': 'Speichern und verbinden',
} as const satisfies Record<keyof typeof enConsole, string>;
