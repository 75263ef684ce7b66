/**
 * One HTTP exchange over an undici Dispatcher: send, then read the body as text under a byte cap.
 * Failures come out as TransportFailure with a kind the retry policy understands; the foreign error
 * is reduced to its name and code, since undici's errors can carry request details.
 */
import type { Dispatcher } from 'undici';
import type { ResponseHeaders, TransportFailureKind } from './retry-policy';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** e.g. `https://openrouter.ai` */
  readonly origin: string;
  /** Full path with query, e.g. `/api/v1/keys?offset=100`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The caller's signal (deadline). */
  readonly signal?: AbortSignal;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
}

/** What is kept of a foreign error: never its message, which may quote request details. */
export interface ForeignErrorSummary {
  readonly name: string;
  readonly code: string | null;
}

export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  constructor(
    readonly kind: TransportFailureKind,
    readonly foreign: ForeignErrorSummary | null,
  ) {
    super(`transport failure: ${kind}`);
  }
}

const SAFE_TOKEN = /^[A-Za-z0-9_.-]{1,64}$/;

function safeToken(value: unknown): string | null {
  return typeof value === 'string' && SAFE_TOKEN.test(value) ? value : null;
}

function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** The error code of an error, its cause, or the first of an AggregateError (dual-stack connects). */
function errorCode(error: unknown): string | null {
  const direct = safeToken(propertyOf(error, 'code'));
  if (direct !== null) return direct;
  const causeCode = safeToken(propertyOf(propertyOf(error, 'cause'), 'code'));
  if (causeCode !== null) return causeCode;
  const inner = propertyOf(error, 'errors');
  return Array.isArray(inner) && inner.length > 0 ? safeToken(propertyOf(inner[0], 'code')) : null;
}

export function summarizeForeignError(error: unknown): ForeignErrorSummary {
  const name = safeToken(propertyOf(error, 'name')) ?? 'Error';
  return { name, code: errorCode(error) };
}

const CONNECTION_DROPPED = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);

function classify(
  error: unknown,
  phase: 'headers' | 'body',
  signal: AbortSignal | undefined,
): TransportFailure {
  if (error instanceof TransportFailure) return error;
  const foreign = summarizeForeignError(error);
  if (signal?.aborted) return new TransportFailure('aborted', foreign);
  const code = foreign.code;
  if (code === 'ECONNREFUSED') return new TransportFailure('connect-refused', foreign);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TransportFailure('connect-timeout', foreign);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TransportFailure('headers-timeout', foreign);
  if (code === 'UND_ERR_BODY_TIMEOUT') return new TransportFailure('body-timeout', foreign);
  if (code !== null && CONNECTION_DROPPED.has(code)) {
    return new TransportFailure(phase === 'headers' ? 'reset-before-response' : 'reset-mid-body', foreign);
  }
  return new TransportFailure('network-other', foreign);
}

function declaredLength(headers: ResponseHeaders): number | null {
  const value = headers['content-length'];
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * Reads the body into memory but never past `maxBytes`: a larger Content-Length is refused before
 * reading, and a stream that grows past the cap is destroyed at the chunk that crosses it.
 */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  headers: ResponseHeaders,
  maxBytes: number,
  abortAttempt: () => void,
): Promise<string> {
  const tooLarge = () => {
    abortAttempt();
    body.destroy();
    return new TransportFailure('too-large', null);
  };
  const declared = declaredLength(headers);
  if (declared !== null && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Sends one request. Rejects only with TransportFailure. */
export async function sendOnce(dispatcher: Dispatcher, request: HttpRequest): Promise<HttpResponse> {
  // Our own signal, joined with the caller's, lets a too-large body tear the request down.
  const local = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, local.signal]) : local.signal;
  let phase: 'headers' | 'body' = 'headers';
  try {
    const response = await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal,
      headersTimeout: request.headersTimeoutMs,
      bodyTimeout: request.bodyTimeoutMs,
    });
    phase = 'body';
    const text = await readCapped(response.body, response.headers, request.maxResponseBytes, () =>
      local.abort(),
    );
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    throw classify(error, phase, request.signal);
  }
}
