import crypto from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import type { AlertSettings } from '../../shared/contract/agent';

/** The SMTP part of the alert settings. */
export type SmtpSettings = NonNullable<AlertSettings['smtp']>;

/** One plain-text mail. */
export interface Mail {
  subject: string;
  text: string;
}

interface Reply {
  code: number;
  lines: string[];
}

/**
 * A minimal SMTP client (RFC 5321) over node:net/tls: EHLO, STARTTLS when offered, AUTH
 * PLAIN/LOGIN, MAIL FROM, RCPT TO, DATA, QUIT. Enough for alert mails, and it keeps the
 * agent bundle free of a mail library. TLS certificates are always verified. Credentials are
 * never sent over an unencrypted connection.
 */
class SmtpConnection {
  private buffer = '';
  private replyWaiter: ((reply: Reply | Error) => void) | undefined;
  private lines: string[] = [];
  private failure: Error | undefined;

  constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.replyWaiter;
    this.replyWaiter = undefined;
    waiter?.(error);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.lines.push(line);
      // "250-…" continues a reply, "250 …" (or a bare code) ends it.
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.lines };
        this.lines = [];
        const waiter = this.replyWaiter;
        this.replyWaiter = undefined;
        waiter?.(reply);
      }
    }
  }

  /** Waits for the next reply. */
  read(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.replyWaiter = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
  }

  /** Sends a command line and checks the reply code. */
  async command(line: string, expect: number[], shown = line): Promise<Reply> {
    const reply = this.read();
    this.socket.write(`${line}\r\n`);
    return check(await reply, expect, shown);
  }

  /** Upgrades the connection after STARTTLS. */
  async startTls(host: string, ca: string | Buffer | undefined): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    this.socket.removeAllListeners('error');
    const secure = tls.connect({ socket: this.socket, ...tlsOptions(host, ca) });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  get encrypted(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  write(data: string): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

function check(reply: Reply, expect: number[], what: string): Reply {
  if (!expect.includes(reply.code)) {
    throw new Error(`SMTP ${what}: ${reply.lines.join(' | ')}`);
  }
  return reply;
}

/** Options for {@link sendMail}. */
export interface SendMailOptions {
  /** Default 30 s per connection. */
  timeoutMs?: number;
  /** Extra trusted CA (PEM) for a relay with a private CA; the system CAs stay trusted too. */
  ca?: string | Buffer;
}

function tlsOptions(host: string, ca: string | Buffer | undefined): tls.ConnectionOptions {
  return { servername: host, ...(ca ? { ca: [...tls.rootCertificates, ca.toString()] } : {}) };
}

function connect(settings: SmtpSettings, options: SendMailOptions): Promise<net.Socket> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const socket = settings.secure
      ? tls.connect({
          host: settings.host,
          port: settings.port,
          ...tlsOptions(settings.host, options.ca),
        })
      : net.connect({ host: settings.host, port: settings.port });
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`SMTP timed out after ${timeoutMs} ms`)),
    );
    socket.once(settings.secure ? 'secureConnect' : 'connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');

/** RFC 2047 for non-ASCII header text. */
function headerText(text: string): string {
  const clean = oneLine(text);
  return /^[\x20-\x7e]*$/.test(clean)
    ? clean
    : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

/** The message text (headers + body), CRLF line ends, dot-stuffed for DATA. */
export function formatMessage(settings: SmtpSettings, mail: Mail, now = new Date()): string {
  const body = Buffer.from(mail.text.replace(/\r?\n/g, '\r\n'), 'utf8')
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  const headers = [
    `From: ${oneLine(settings.from)}`,
    `To: ${settings.to.map(oneLine).join(', ')}`,
    `Subject: ${headerText(mail.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${crypto.randomUUID()}@kumiko-agent>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    'Auto-Submitted: auto-generated',
  ];
  // Base64 lines never start with '.', so no dot-stuffing is needed in the body.
  return `${headers.join('\r\n')}\r\n\r\n${body}\r\n`;
}

/**
 * Sends one mail. @throws Error with the server's reply when a step is refused, or when AUTH
 * would have to go over an unencrypted connection.
 */
export async function sendMail(
  settings: SmtpSettings,
  mail: Mail,
  options: SendMailOptions = {},
): Promise<void> {
  const conn = new SmtpConnection(await connect(settings, options));
  try {
    check(await conn.read(), [220], 'greeting');
    const hostname = oneLine(os.hostname()) || 'kumiko-agent';
    let ehlo = await conn.command(`EHLO ${hostname}`, [250]);
    if (!conn.encrypted && ehlo.lines.some((l) => /^250[- ]STARTTLS\b/i.test(l))) {
      await conn.command('STARTTLS', [220]);
      await conn.startTls(settings.host, options.ca);
      ehlo = await conn.command(`EHLO ${hostname}`, [250]);
    }
    if (settings.username) {
      if (!conn.encrypted) {
        throw new Error('SMTP server offers no TLS: refusing to send the password in clear text');
      }
      await authenticate(conn, ehlo, settings.username, settings.password ?? '');
    }
    await conn.command(`MAIL FROM:<${oneLine(settings.from)}>`, [250]);
    for (const to of settings.to) await conn.command(`RCPT TO:<${oneLine(to)}>`, [250, 251]);
    await conn.command('DATA', [354]);
    const done = conn.read();
    conn.write(`${formatMessage(settings, mail)}.\r\n`);
    check(await done, [250], 'message');
    await conn.command('QUIT', [221]).catch(() => undefined);
  } finally {
    conn.close();
  }
}

async function authenticate(
  conn: SmtpConnection,
  ehlo: Reply,
  username: string,
  password: string,
): Promise<void> {
  const auth = ehlo.lines.find((l) => /^250[- ]AUTH[ =]/i.test(l))?.toUpperCase() ?? '';
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  if (auth.includes('PLAIN') || !auth.includes('LOGIN')) {
    await conn.command(`AUTH PLAIN ${b64(`\0${username}\0${password}`)}`, [235], 'AUTH PLAIN');
    return;
  }
  await conn.command('AUTH LOGIN', [334]);
  await conn.command(b64(username), [334], 'AUTH LOGIN user');
  await conn.command(b64(password), [235], 'AUTH LOGIN password');
}
