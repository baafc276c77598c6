import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { registerCleanup } from './registry';

/** One mail the receiver accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as sent after DATA, dot-unstuffed. */
  raw: string;
  subject: string;
  /** The body, decoded when it was sent base64 or quoted-printable. */
  text: string;
  /** The session was upgraded with STARTTLS before the mail was sent. */
  encrypted: boolean;
  /** The user that logged in with AUTH, if any. */
  authenticatedAs: string | undefined;
}

/** Options for {@link startSmtpReceiver}. */
export interface SmtpReceiverOptions {
  /** Offer STARTTLS with this certificate (PEM files). */
  tls?: { certFile: string; keyFile: string };
  /** Offer AUTH PLAIN/LOGIN (after STARTTLS only) and accept this one user. */
  auth?: { username: string; password: string };
}

/** A local SMTP server that accepts every mail and keeps it in memory. */
export interface SmtpReceiver {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly mails: readonly ReceivedMail[];
  /** Resolves once at least `count` mails arrived; rejects after `timeoutMs`. */
  waitForMails(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return (m?.[1] ?? '').replace(/\r?\n[ \t]/g, ' ').trim();
}

function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_, b64: string) =>
    Buffer.from(b64, 'base64').toString('utf8'),
  );
}

function decodeBody(raw: string): string {
  const at = raw.search(/\r?\n\r?\n/);
  const body = at === -1 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const encoding = header(raw, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return body;
}

/**
 * Starts an SMTP receiver on 127.0.0.1 (a free port): EHLO/HELO, MAIL FROM, RCPT TO, DATA,
 * RSET, NOOP, QUIT; by default no TLS and no AUTH, like a local relay, optionally STARTTLS and
 * AUTH PLAIN/LOGIN like a submission server. Stopped by stop() or stopAll().
 */
export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const secureContext = options.tls
    ? tls.createSecureContext({
        cert: fs.readFileSync(options.tls.certFile),
        key: fs.readFileSync(options.tls.keyFile),
      })
    : undefined;
  const server = net.createServer((plain) => {
    sockets.add(plain);
    plain.on('close', () => sockets.delete(plain));
    plain.on('error', () => undefined);
    let from = '';
    let to: string[] = [];
    let encrypted = false;
    let user: string | undefined;
    let authLogin: 'user' | 'password' | undefined;
    let loginUser = '';
    const checkLogin = (name: string, password: string): boolean =>
      !!options.auth && name === options.auth.username && password === options.auth.password;

    const serve = (socket: net.Socket): void => {
      socket.setEncoding('utf8');
      const reply = (line: string): void => {
        socket.write(`${line}\r\n`);
      };
      let buffer = '';
      let inData = false;
      let data: string[] = [];
      const onData = (chunk: string): void => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\r\n')) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 2);
          if (inData) {
            if (line === '.') {
              inData = false;
              const raw = data.join('\r\n');
              mails.push({
                from,
                to,
                raw,
                subject: decodeWords(header(raw, 'Subject')),
                text: decodeBody(raw),
                encrypted,
                authenticatedAs: user,
              });
              data = [];
              for (const waiter of waiters) waiter();
              reply('250 OK queued');
            } else {
              data.push(line.startsWith('.') ? line.slice(1) : line);
            }
            continue;
          }
          if (authLogin === 'user') {
            loginUser = Buffer.from(line, 'base64').toString('utf8');
            authLogin = 'password';
            reply('334 UGFzc3dvcmQ6');
            continue;
          }
          if (authLogin === 'password') {
            authLogin = undefined;
            const ok = checkLogin(loginUser, Buffer.from(line, 'base64').toString('utf8'));
            if (ok) user = loginUser;
            reply(ok ? '235 Authentication successful' : '535 Authentication failed');
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO') {
            reply('250-localhost');
            if (secureContext && !encrypted) reply('250-STARTTLS');
            if (options.auth && encrypted) reply('250-AUTH PLAIN LOGIN');
            reply('250 8BITMIME');
          } else if (verb === 'HELO') reply('250 localhost');
          else if (line.toUpperCase() === 'STARTTLS' && secureContext && !encrypted) {
            reply('220 Ready to start TLS');
            socket.removeListener('data', onData);
            const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
            secure.on('error', () => undefined);
            secure.once('secure', () => {
              encrypted = true;
              serve(secure);
            });
            return;
          } else if (verb === 'AUTH') {
            const [, mechanism, initial] = line.split(' ');
            if (!options.auth || !encrypted) reply('503 AUTH not available');
            else if (mechanism?.toUpperCase() === 'PLAIN' && initial) {
              const [, name, password] = Buffer.from(initial, 'base64')
                .toString('utf8')
                .split('\0');
              const ok = checkLogin(name ?? '', password ?? '');
              if (ok) user = name;
              reply(ok ? '235 Authentication successful' : '535 Authentication failed');
            } else if (mechanism?.toUpperCase() === 'LOGIN') {
              authLogin = 'user';
              reply('334 VXNlcm5hbWU6');
            } else reply('504 Unrecognized authentication type');
          } else if (verb === 'MAIL') {
            if (options.auth && !user) {
              reply('530 Authentication required');
              continue;
            }
            from = /<(.*)>/.exec(line)?.[1] ?? '';
            to = [];
            reply('250 OK');
          } else if (verb === 'RCPT') {
            to.push(/<(.*)>/.exec(line)?.[1] ?? '');
            reply('250 OK');
          } else if (verb === 'DATA') {
            inData = true;
            reply('354 End data with <CR><LF>.<CR><LF>');
          } else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
          else if (verb === 'QUIT') {
            reply('221 Bye');
            socket.end();
          } else reply('502 Command not implemented');
        }
      };
      socket.on('data', onData);
    };
    serve(plain);
    plain.write('220 localhost kumiko test SMTP\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const unregister = registerCleanup({
    name: `smtp receiver :${port}`,
    stop,
    killNow: () => server.close(),
  });
  return {
    host: '127.0.0.1',
    port,
    mails,
    waitForMails(count, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (mails.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...mails]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`smtp receiver: ${mails.length} of ${count} mails after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop,
  };
}
