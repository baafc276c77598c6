import type { ErrorCode } from '../../../shared/contract';

/** How an S3 call failed, in the terms the storage check reports. */
export type S3FailureKind =
  'tls' | 'unreachable' | 'denied' | 'noSuchBucket' | 'notFound' | 'other';

export interface S3Failure {
  kind: S3FailureKind;
  /** HTTP status when the server answered, else undefined. */
  status: number | undefined;
  /** The S3 error code or Node error code, e.g. AccessDenied, ECONNREFUSED. */
  name: string;
  /** One readable line, without secrets. */
  text: string;
}

// Node's certificate verification errors (X509_V_ERR_* names) plus TLS protocol failures.
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const DENIED_NAMES = new Set([
  'AccessDenied',
  'Forbidden',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidSecurity',
  'AllAccessDisabled',
  'AccountProblem',
  'ExpiredToken',
  'InvalidToken',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The first error in a cause chain (AggregateError included) with a Node error code. */
function systemCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as ErrorLike & { errors?: unknown[] };
  if (typeof e.code === 'string' && /^[A-Z_0-9]+$/.test(e.code)) return e.code;
  for (const inner of e.errors ?? []) {
    const found = systemCode(inner, depth + 1);
    if (found) return found;
  }
  return systemCode(e.cause, depth + 1);
}

/** Sorts an error thrown by an S3 call (SDK service error, Node socket/TLS error, timeout). */
export function describeS3Error(err: unknown): S3Failure {
  const e = (err ?? {}) as ErrorLike;
  const status =
    typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const code = systemCode(err);
  const name = code ?? (typeof e.name === 'string' && e.name ? e.name : 'Error');
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]?.slice(0, 300) : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT';
  const text = timedOut
    ? `${name}: no answer in time`
    : message && message !== name
      ? `${name}: ${message}`
      : name;

  if (status === undefined) {
    if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')))
      return { kind: 'tls', status, name, text };
    if ((code && UNREACHABLE_CODES.has(code)) || timedOut)
      return { kind: 'unreachable', status, name, text };
    if (/certificate|self[- ]signed/i.test(message ?? ''))
      return { kind: 'tls', status, name, text };
    return { kind: 'unreachable', status, name, text };
  }
  if (status === 403 || DENIED_NAMES.has(name)) return { kind: 'denied', status, name, text };
  if (name === 'NoSuchBucket') return { kind: 'noSuchBucket', status, name, text };
  if (status === 404) return { kind: 'notFound', status, name, text };
  // 501 NotImplemented is an answer (the server lacks the feature), not an outage.
  if (status >= 500 && name !== 'NotImplemented')
    return { kind: 'unreachable', status, name, text: `${text} (HTTP ${status})` };
  return { kind: 'other', status, name, text: `${text} (HTTP ${status})` };
}

/** The stable error code for a failed S3 call. */
export function codeFor(kind: S3FailureKind): ErrorCode {
  switch (kind) {
    case 'tls':
      return 'STORAGE_TLS_FAILED';
    case 'denied':
    case 'noSuchBucket':
    case 'notFound':
      return 'STORAGE_ACCESS_DENIED';
    default:
      return 'STORAGE_UNREACHABLE';
  }
}
