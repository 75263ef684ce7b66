/**
 * Canary keys for secrecy tests (built at run time: no key-shaped literal in the repository) and
 * a serializer that exposes everything an error could leak: own properties, message, stack and
 * the whole cause chain.
 */

/** A fake API key of the real shape: `sk-or-v1-` + 64 hex. */
export const canaryApiKey = (): string => `sk-or-v1-${'c0ffee'.repeat(10)}c0ff`;
/** A fake management key of the real shape. */
export const canaryManagementKey = (): string => `sk-or-v1-${'deadbeef'.repeat(8)}`;

function describe(value: unknown, depth: number): unknown {
  if (depth > 5) return '[deep]';
  if (value instanceof Error) {
    const own: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(value)) {
      own[name] = describe(Reflect.get(value, name), depth + 1);
    }
    own.stack = value.stack;
    own.message = value.message;
    own.cause = describe(value.cause, depth + 1);
    own.asString = String(value);
    return own;
  }
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v, depth + 1)]));
  }
  return value;
}

/** Everything an error carries, as one string to search. */
export function exposeError(error: unknown): string {
  return JSON.stringify(describe(error, 0));
}

/** True when `text` contains the key or any 12-character run of its secret part. */
export function leaks(text: string, key: string): boolean {
  if (text.includes(key)) return true;
  const secret = key.slice('sk-or-v1-'.length);
  for (let i = 0; i + 12 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 12))) return true;
  }
  return false;
}
