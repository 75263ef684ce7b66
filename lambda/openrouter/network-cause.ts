import type { OpenRouterError } from './errors';

/**
 * Why a request never got an answer, read from the code of the underlying error that the client
 * keeps as `cause` (`{ name, code }`, never a message). Each cause has its own remedy: a refused
 * connection, a name that does not resolve, a rejected certificate and a proxy in the way are
 * fixed in different places.
 */
export type NetworkCause =
  /** Nothing accepted the TCP connection (ECONNREFUSED). */
  | 'refused'
  /** The host name did not resolve (ENOTFOUND, EAI_AGAIN, …). */
  | 'dns'
  /** The TLS handshake failed: certificate rejected, protocol mismatch. */
  | 'tls'
  /** The proxy from HTTPS_PROXY / HTTP_PROXY could not be reached or refused the tunnel. */
  | 'proxy'
  /** Connecting took longer than the connect timeout. */
  | 'connect-timeout'
  /** The connection dropped (reset, closed). */
  | 'dropped';

/** Codes a proxy-routed request's failures are given (lambda/http/proxy-agent.ts). */
export const PROXY_CODE_PREFIX = 'PROXY_';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
// OpenSSL's verification codes and Node's TLS errors.
const TLS_CODE =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

/** The code of the error beneath an OpenRouterError, when the client kept one. */
export function causeCode(error: OpenRouterError): string | undefined {
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return undefined;
  return typeof cause.code === 'string' ? cause.code : undefined;
}

export function networkCause(error: OpenRouterError): NetworkCause | undefined {
  if (error.code !== 'NETWORK' && error.code !== 'TIMEOUT') return undefined;
  const code = causeCode(error);
  if (code === undefined) return undefined;
  if (code.startsWith(PROXY_CODE_PREFIX)) return 'proxy';
  if (code === 'ECONNREFUSED') return 'refused';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODE.test(code)) return 'tls';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connect-timeout';
  if (DROPPED_CODES.has(code)) return 'dropped';
  return undefined;
}
