import crypto from 'node:crypto';
import type { KitInput, KitSection } from './kit-content';

/**
 * Where and how the kit restores, chosen by the app from what it knows of production (the
 * reader can change the first four values of step 3; every other line runs as printed).
 */
export interface KitRestoreDefaults {
  /** A new folder beside production's data directory (never production's own). */
  directory: string;
  /** A port no detected cluster on the server uses. */
  port: number;
  /** Production's port, when detection knows it: named beside RESTORE_PORT. */
  productionPort: number | null;
  /** PostgreSQL's programs of the backup's major version on this OS family. */
  pgBin: string;
  /** The RHEL-family folder or the Debian one, whichever pgBin is not: named in a comment. */
  pgBinOther: string;
}

/**
 * Headings of the restore sections. Each section is one intro paragraph and one monospace
 * block of shell lines (see {@link block}): typed or pasted in one root shell, in order, the
 * blocks restore without Kumiko Recovery.
 */
export const KIT_RESTORE_HEADINGS = {
  prepare: '3. Prepare (root shell) / Vorbereiten (root-Shell)',
  database: '4. Restore the database (pgBackRest) / Datenbank wiederherstellen',
  start: '5. Start it beside production or alone / Neben der Produktion oder allein starten',
  files: '6. Restore attached files (restic) / Angehängte Dateien wiederherstellen',
} as const;

/**
 * A step's shell lines between two comment lines that say where the step begins and ends, so
 * a reader (or a test reading pdftotext's output) knows exactly which lines to type, whatever
 * the sheet prints around them.
 */
export function block(step: number, lines: string[]): string {
  return [
    `# --- step ${step} / Schritt ${step} ---`,
    ...lines,
    `# --- end of step ${step} / Ende von Schritt ${step} ---`,
  ].join('\n');
}

const SAFE = /^[A-Za-z0-9_./+=:@%,-]+$/;

/** A value for a shell line: bare when it needs no quoting, else in single quotes. */
function shellWord(value: string): string {
  return SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `export NAME=\` and the value on a line of its own: the shell joins the two lines (a
 * backslash before the newline disappears), and a long value (the restic repository URL)
 * gets the whole width of the sheet instead of being broken.
 */
function exportOnOwnLine(name: string, value: string): string[] {
  return [`export ${name}=\\`, shellWord(value)];
}

function endpointParts(endpoint: string): { host: string; port: string; isAws: boolean } {
  const url = new URL(endpoint);
  return { host: url.hostname, port: url.port, isAws: url.hostname.endsWith('.amazonaws.com') };
}

/**
 * A passphrase typed from paper with one wrong character must be refused at once, before any
 * folder exists (issue 20, fault 11): the line after the value compares the start of its
 * SHA-256 with the one printed here. 64 bits of the hash of a 288-bit random passphrase give
 * nothing away; pgBackRest itself would only say FormatError after the folder is made.
 */
function passphraseCheck(variable: string, value: string): string[] {
  const prefix = crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
  return [
    `printf %s "$${variable}" | sha256sum | grep -q '^${prefix}' || {`,
    `  echo "${variable} is not the one printed here (a typing error?). Nothing written." >&2`,
    `  echo "${variable} ist nicht die gedruckte (Tippfehler?). Nichts geschrieben." >&2`,
    '  echo "Correct it, then run step 3 again / korrigieren, Schritt 3 neu" >&2; false; }',
  ];
}

function prepare(k: KitInput, d: KitRestoreDefaults): KitSection {
  const major = k.pgVersion.split('.')[0] ?? k.pgVersion;
  const ca = k.storage.caCertificate?.trim();
  return {
    heading: KIT_RESTORE_HEADINGS.prepare,
    lines: [
      {
        text:
          'Steps 3 to 6 run as root, in this order, in one shell: each step is the lines from ' +
          '"# --- step" to "# --- end of step". Only the four values below may be changed. ' +
          'Every command and value is also in the plain-text copy of this kit (attached to the ' +
          'PDF and saved beside it), to copy exactly. / Schritte 3 bis 6 als root, in dieser ' +
          'Reihenfolge, in einer Shell: jeder Schritt sind die Zeilen von "# --- step" bis ' +
          '"# --- end of step". Nur die vier Werte unten dürfen geändert werden. Alle Befehle ' +
          'und Werte stehen auch in der Textfassung dieses Blatts (an das PDF angehängt und ' +
          'daneben gespeichert), zum exakten Kopieren.',
      },
      {
        mono: true,
        text: block(3, [
          '# RESTORE_DIR: a new, empty folder with as much free space as the database',
          '# (never the data directory of a running cluster) / neuer, leerer Ordner',
          '# RESTORE_PORT: a free port' +
            (d.productionPort ? ` (production uses ${d.productionPort})` : '') +
            ' / ein freier Port',
          '# RESTORE_TIME: empty = the latest state / leer = neuester Stand;',
          '# or a moment / oder ein Zeitpunkt: RESTORE_TIME="2026-05-11 14:23:00+02"',
          `# PG_BIN: the PostgreSQL ${major} programs (or ${d.pgBinOther})`,
          `RESTORE_DIR=${shellWord(d.directory)}`,
          `RESTORE_PORT=${d.port}`,
          'RESTORE_TIME=',
          `PG_BIN=${shellWord(d.pgBin)}`,
          '# Keep the keys out of the shell history / Schlüssel nicht in die History',
          'unset HISTFILE',
          '# The repository passphrases (as in section 2) / die Passphrasen (wie in Abschnitt 2)',
          `REPO_CIPHER_PASS=${shellWord(k.cipherPass)}`,
          `RESTIC_PASSWORD=${shellWord(k.resticPassword)}`,
          '# A typing error stops here, before anything is written / Tippfehler stoppen hier',
          ...passphraseCheck('REPO_CIPHER_PASS', k.cipherPass),
          ...passphraseCheck('RESTIC_PASSWORD', k.resticPassword),
          'install -d -o postgres -g postgres -m 700 "$RESTORE_DIR" "$RESTORE_DIR/data"',
          '# Files written from here on are readable by their owner only',
          'umask 077',
          ...(ca
            ? [
                '# The CA certificate of the storage TLS server / CA-Zertifikat des Speichers',
                'cat > "$RESTORE_DIR/storage-ca.pem" <<\'EOF\'',
                ...ca.split(/\r?\n/),
                'EOF',
                'chown postgres: "$RESTORE_DIR/storage-ca.pem"',
              ]
            : []),
        ]),
      },
    ],
  };
}

function database(k: KitInput): KitSection {
  const { host, port, isAws } = endpointParts(k.storage.endpoint);
  const conf = [
    '[global]',
    'repo1-type=s3',
    `repo1-path=${k.repoPath}`,
    `repo1-s3-endpoint=${host}`,
    ...(port ? [`repo1-storage-port=${port}`] : []),
    `repo1-s3-bucket=${k.storage.bucket}`,
    `repo1-s3-region=${k.storage.region}`,
    `repo1-s3-key=${k.storage.accessKeyId}`,
    `repo1-s3-key-secret=${k.storage.secretAccessKey}`,
    `repo1-s3-uri-style=${isAws ? 'host' : 'path'}`,
    'repo1-cipher-type=aes-256-cbc',
  ];
  const pgbackrest = `runuser -u postgres -- pgbackrest --config="$RESTORE_DIR/pgbackrest.conf" --stanza=${k.stanza}`;
  return {
    heading: KIT_RESTORE_HEADINGS.database,
    lines: [
      {
        text:
          'pgBackRest reads the repository with its own configuration in RESTORE_DIR; production ' +
          'and its backups stay untouched. / pgBackRest liest die Sicherung mit eigener ' +
          'Konfiguration in RESTORE_DIR; Produktion und Sicherungen bleiben unberührt.',
      },
      {
        mono: true,
        text: block(4, [
          '# The repository: S3 bucket, path and encryption / Speicherort und Verschlüsselung',
          'cat > "$RESTORE_DIR/pgbackrest.conf" <<\'EOF\'',
          ...conf,
          'EOF',
          '# Paths inside RESTORE_DIR and the passphrase checked in step 3 (filled in here)',
          'cat >> "$RESTORE_DIR/pgbackrest.conf" <<EOF',
          'repo1-cipher-pass=$REPO_CIPHER_PASS',
          ...(k.storage.caCertificate ? ['repo1-storage-ca-file=$RESTORE_DIR/storage-ca.pem'] : []),
          'lock-path=$RESTORE_DIR',
          'log-path=$RESTORE_DIR',
          `[${k.stanza}]`,
          'pg1-path=$RESTORE_DIR/data',
          'EOF',
          'chown postgres: "$RESTORE_DIR/pgbackrest.conf"',
          '# The backups and the time range they cover / Sicherungen und abgedeckter Zeitraum',
          `${pgbackrest} info`,
          "# Tablespaces go into RESTORE_DIR/tablespaces, not to production's folders",
          'if [ -z "$RESTORE_TIME" ]; then',
          `  ${pgbackrest} \\`,
          '    --tablespace-map-all="$RESTORE_DIR/tablespaces" restore',
          'else',
          `  ${pgbackrest} \\`,
          '    --tablespace-map-all="$RESTORE_DIR/tablespaces" restore \\',
          '    --type=time --target="$RESTORE_TIME" --target-action=promote',
          'fi',
        ]),
      },
    ],
  };
}

function start(): KitSection {
  return {
    heading: KIT_RESTORE_HEADINGS.start,
    lines: [
      {
        text:
          "The restored configuration still carries production's port, socket folder and " +
          'archive_command: started as it is beside production, it would fail on the port, or ' +
          "a promoted copy would push WAL into production's backup. The settings below win over " +
          'it. / Die wiederhergestellte Konfiguration trägt noch Port, Socket-Ordner und ' +
          'archive_command der Produktion: so neben der Produktion gestartet, scheitert sie am ' +
          'Port, oder die Kopie schreibt WAL in die Sicherung der Produktion. Die Einstellungen ' +
          'unten haben Vorrang.',
      },
      {
        mono: true,
        text: block(5, [
          '# Beside production: own port and socket, never archiving, little memory',
          '# Neben der Produktion: eigener Port und Socket, keine Archivierung, wenig Speicher',
          'cd "$RESTORE_DIR/data"',
          '# Debian keeps these files outside the data folder / Debian hat sie in /etc',
          'test -f postgresql.conf || touch postgresql.conf',
          'test -f pg_hba.conf || echo "local all all peer" > pg_hba.conf',
          'test -f pg_ident.conf || touch pg_ident.conf',
          'cat >> postgresql.auto.conf <<EOF',
          '# Kumiko recovery kit: restored copy beside production',
          'port = $RESTORE_PORT',
          "unix_socket_directories = '$RESTORE_DIR'",
          "listen_addresses = 'localhost'",
          'archive_mode = off',
          "archive_command = ''",
          'hot_standby = off',
          "shared_buffers = '256MB'",
          "synchronous_standby_names = ''",
          "cluster_name = 'kumiko-restore'",
          'EOF',
          'chown postgres: postgresql.conf pg_hba.conf pg_ident.conf postgresql.auto.conf',
          'runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$RESTORE_DIR/data" \\',
          '  -l "$RESTORE_DIR/postgresql.log" start',
          '# Wait while it replays WAL up to the target and promotes (the log tells how far)',
          '# Warten, bis WAL eingespielt und die Kopie beschreibbar ist (siehe Log)',
          'until runuser -u postgres -- "$PG_BIN/psql" -h "$RESTORE_DIR" -p "$RESTORE_PORT" \\',
          '  -d postgres -Atc "SELECT pg_is_in_recovery()" 2>/dev/null | grep -qx f',
          'do test -f "$RESTORE_DIR/data/postmaster.pid" || break; sleep 2; done',
          '# "f" = promoted, open for writing; an error: see RESTORE_DIR/postgresql.log',
          '# "f" = beschreibbar; bei einem Fehler: siehe RESTORE_DIR/postgresql.log',
          'runuser -u postgres -- "$PG_BIN/psql" -h "$RESTORE_DIR" -p "$RESTORE_PORT" \\',
          '  -d postgres -Atc "SELECT pg_is_in_recovery()"',
          '# Connect / Verbinden:',
          '# runuser -u postgres -- "$PG_BIN/psql" -h "$RESTORE_DIR" -p "$RESTORE_PORT"',
          '# Stop / Stoppen:',
          '# runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$RESTORE_DIR/data" stop',
          '# Alone on a fresh host (production gone): the same steps; RESTORE_PORT may be',
          "# production's port and listen_addresses '*'. Keep archive_mode off until this copy",
          '# has a backup of its own. Where the copy has no postgresql.conf, take over',
          "# production's settings (Debian: /etc/postgresql/<version>/main/postgresql.conf).",
          '# Allein auf einem neuen Server: dieselben Schritte; RESTORE_PORT darf der Port der',
          "# Produktion sein, listen_addresses '*'. archive_mode bleibt aus, bis diese Kopie",
          '# eine eigene Sicherung hat. Fehlt postgresql.conf, die Einstellungen der Produktion',
          '# übernehmen (Debian: /etc/postgresql/<Version>/main/postgresql.conf).',
        ]),
      },
    ],
  };
}

function files(k: KitInput): KitSection {
  const cacert = k.storage.caCertificate ? ' --cacert "$RESTORE_DIR/storage-ca.pem"' : '';
  return {
    heading: KIT_RESTORE_HEADINGS.files,
    lines: [
      {
        text:
          "The attached files come from restic's daily snapshots, not from a chosen moment: " +
          '"restic snapshots" lists them with their time; for RESTORE_TIME restore the last one ' +
          'before it by its ID instead of "latest". / Die angehängten Dateien stammen aus den ' +
          'täglichen restic-Snapshots, nicht vom gewählten Zeitpunkt: für RESTORE_TIME den ' +
          'letzten davor mit seiner ID statt "latest" wiederherstellen.',
      },
      {
        mono: true,
        text: block(6, [
          '# The bucket keys and the restic repository / Zugang und restic-Repository',
          `export AWS_ACCESS_KEY_ID=${shellWord(k.storage.accessKeyId)}`,
          ...exportOnOwnLine('AWS_SECRET_ACCESS_KEY', k.storage.secretAccessKey),
          `export AWS_DEFAULT_REGION=${shellWord(k.storage.region)}`,
          ...exportOnOwnLine('RESTIC_REPOSITORY', k.resticRepository),
          '# The restic password checked in step 3 / das in Schritt 3 geprüfte Passwort',
          'export RESTIC_PASSWORD',
          `restic${cacert} snapshots`,
          `restic${cacert} restore latest \\`,
          '  --target "$RESTORE_DIR/files"',
          '# The files are in RESTORE_DIR/files under their original paths',
          '# Die Dateien liegen in RESTORE_DIR/files unter ihren ursprünglichen Pfaden',
        ]),
      },
    ],
  };
}

/** Steps 3 to 6 of the kit: prepare, restore the database, start it, restore the files. */
export function restoreSections(k: KitInput, defaults: KitRestoreDefaults): KitSection[] {
  return [prepare(k, defaults), database(k), start(), files(k)];
}
