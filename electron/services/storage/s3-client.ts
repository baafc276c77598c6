import { S3Client } from '@aws-sdk/client-s3';
import crypto from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import { AppError } from '../app-error';
import { classifyEndpoint, type EndpointClassification } from './eu-allowlist';

/** Network timeouts for storage calls: short, so a dead endpoint is reported, not waited on. */
export const S3_TIMEOUT_MS = 10_000;

export interface S3ClientOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing: every provider but AWS (and on-prem servers) gets it. */
  forcePathStyle: boolean;
  /** PEM CA certificate trusted in addition to the public roots (on-prem, private CA). */
  caCertificate?: string;
  timeoutMs?: number;
  /** 1 for checks (report at once), more for long-running work. */
  maxAttempts?: number;
}

/** An S3 client whose sockets are released with close(). */
export interface OpenS3Client {
  client: S3Client;
  close(): void;
}

/**
 * Throws STORAGE_TLS_FAILED unless `pem` holds at least one parseable certificate. Checked
 * up front, since a broken CA would otherwise only surface as an obscure handshake error.
 */
export function assertCaCertificate(pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    if (!blocks?.length) throw new Error('no PEM certificate block');
    for (const block of blocks) new crypto.X509Certificate(block);
  } catch (err) {
    throw new AppError(
      'STORAGE_TLS_FAILED',
      `The CA certificate is not a valid PEM certificate (${(err as Error).message}).`,
    );
  }
}

/**
 * An S3 client with TLS verification always on. A custom CA is added to Node's public roots,
 * never in place of verification. Checksums are sent only where S3 requires them: several
 * S3-compatible providers reject the SDK's default flexible checksums.
 */
export function createS3Client(options: S3ClientOptions): OpenS3Client {
  const timeout = options.timeoutMs ?? S3_TIMEOUT_MS;
  if (options.caCertificate) assertCaCertificate(options.caCertificate);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 16,
    rejectUnauthorized: true,
    ca: options.caCertificate ? [...tls.rootCertificates, options.caCertificate] : undefined,
  });
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
    },
    maxAttempts: options.maxAttempts ?? 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Options for the SDK's NodeHttpHandler (it builds the handler from them).
    requestHandler: {
      httpsAgent: agent,
      connectionTimeout: timeout,
      requestTimeout: timeout,
      throwOnRequestTimeout: true,
    },
  });
  return {
    client,
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}

/** Runs one S3 call, handing it the options (an abort deadline) to pass to `client.send`. */
export type S3Call = <T>(run: (options: { abortSignal: AbortSignal }) => Promise<T>) => Promise<T>;

/**
 * A deadline per call on top of the socket timeouts: a call that trickles data forever still
 * ends, as a TimeoutError.
 */
export function callWithDeadline(timeoutMs: number = S3_TIMEOUT_MS): S3Call {
  return (run) => run({ abortSignal: AbortSignal.timeout(timeoutMs + 2_000) });
}

/**
 * How to address a bucket at an endpoint: AWS virtual-hosted style at its regional endpoint
 * (an endpoint entered as <bucket>.s3.<region>.amazonaws.com goes back to s3.<region>…),
 * every other provider and on-prem server path style.
 */
export function addressingFor(
  endpoint: string,
  classification: EndpointClassification = classifyEndpoint(endpoint),
): { endpoint: string; forcePathStyle: boolean } {
  if (classification.provider !== 'aws') return { endpoint, forcePathStyle: true };
  const regional = /(?:^|\.)(s3\.(?:dualstack\.)?[a-z0-9-]+\.amazonaws\.com)$/.exec(
    classification.host,
  )?.[1];
  return { endpoint: regional ? `https://${regional}` : endpoint, forcePathStyle: false };
}
