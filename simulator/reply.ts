import type { ServerResponse } from 'node:http';

/** A complete answer, built by a route and written by the server (or reshaped by a fault). */
export interface Reply {
  readonly status: number;
  readonly body: string;
  /** @default "application/json" */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonReply(status: number, body: string, headers?: Readonly<Record<string, string>>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export interface ErrorOptions {
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly userId?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Further members of `error` (e.g. `availability`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** OpenRouter's error envelope: `{"error":{"code","message","metadata"?},"user_id"?}`. */
export function errorReply(status: number, message: string, options: ErrorOptions = {}): Reply {
  const error: Record<string, unknown> = { code: status, message };
  if (options.metadata !== undefined) error.metadata = options.metadata;
  if (options.extra !== undefined) Object.assign(error, options.extra);
  const envelope: Record<string, unknown> = { error };
  if (options.userId !== undefined) envelope.user_id = options.userId;
  return jsonReply(status, JSON.stringify(envelope), options.headers);
}

export function writeReply(res: ServerResponse, reply: Reply, prefix = ''): void {
  const body = prefix + reply.body;
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...reply.headers,
  });
  // A keep-alive padding prefix goes out as its own chunk first, as OpenRouter's does.
  if (prefix !== '') res.write(prefix);
  res.end(prefix === '' ? body : reply.body);
}
