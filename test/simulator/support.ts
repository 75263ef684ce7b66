import { request } from 'undici';
import type { Simulator } from '../../simulator/types';

/** One HTTP answer from the simulator, body read as text. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): unknown;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Serialized as JSON unless it is already a string. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Calls `path` (relative to the simulator's base URL) over real HTTP on 127.0.0.1. */
export async function call(sim: Simulator, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await request(`${sim.baseUrl}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

/** A chat request body with one short user message. */
export function chatBody(fields: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { messages: [{ role: 'user', content: 'Say hello.' }], ...fields };
}

/** Reads a nested value from parsed JSON without casts: `at(body, 'data', 0, 'id')`. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    // Parsed JSON objects and arrays are plain records: indexing one by a key is what JSON allows.
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** `at(...)` that must be an array. */
export function list(value: unknown, ...path: readonly (string | number)[]): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) throw new TypeError(`expected an array at ${path.join('.')}`);
  return found;
}

/** A clock a test moves by hand. */
export function manualClock(start = '2026-09-01T10:00:00.000Z'): {
  now: () => Date;
  advance(ms: number): void;
} {
  let time = new Date(start).getTime();
  return {
    now: () => new Date(time),
    advance(ms: number) {
      time += ms;
    },
  };
}

export const DAY_MS = 86_400_000;
