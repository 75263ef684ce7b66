import { randomBytes } from 'node:crypto';

/**
 * Canary secrets for secrecy tests, all built at run time (no key-shaped literal lives in the
 * repository), a serializer that exposes everything a value could leak (own properties, message,
 * stack and the whole cause chain), and the search that says where a canary surfaced.
 */

const KEY_PREFIX = 'sk-or-v1-';

/** A fake API key of the real shape: `sk-or-v1-` + 64 hex. The same on every run. */
export const canaryApiKey = (): string => `${KEY_PREFIX}${'c0ffee'.repeat(10)}c0ff`;
/** A fake management key of the real shape. The same on every run. */
export const canaryManagementKey = (): string => `${KEY_PREFIX}${'deadbeef'.repeat(8)}`;

/**
 * A fake key of the real shape with a random body: no fixture, hash or id can hold a piece of it
 * by chance, so any piece of it found in an output is a leak.
 */
export const freshCanaryKey = (): string => `${KEY_PREFIX}${randomBytes(32).toString('hex')}`;

/** Where canary Slack webhooks point; tests reroute this host to a server on 127.0.0.1. */
export const CANARY_WEBHOOK_HOST = 'hooks.slack.test';

export interface CanaryWebhook {
  /** An https Slack incoming-webhook URL, as the auditor requires of the secret. */
  readonly url: string;
  /** The secret part of the URL: its last path segment. */
  readonly token: string;
}

/** A webhook URL whose token starts with `canarywebhook` and ends in random hex. */
export function canaryWebhook(): CanaryWebhook {
  const token = `canarywebhook${randomBytes(8).toString('hex')}`;
  return { url: `https://${CANARY_WEBHOOK_HOST}/services/T0000/B0000/${token}`, token };
}

function expose(value: unknown, depth: number): unknown {
  if (depth > 5) return '[deep]';
  if (value instanceof Error) {
    const own: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(value)) {
      own[name] = expose(Reflect.get(value, name), depth + 1);
    }
    own.stack = value.stack;
    own.message = value.message;
    own.cause = expose(value.cause, depth + 1);
    own.asString = String(value);
    return own;
  }
  if (Array.isArray(value)) return value.map((v) => expose(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expose(v, depth + 1)]));
  }
  return value;
}

/** Everything an error (or any value holding errors) carries, as one string to search. */
export function exposeError(error: unknown): string {
  return JSON.stringify(expose(error, 0));
}

/** True when `text` contains the key or any 12-character run of its secret part. */
export function leaks(text: string, key: string): boolean {
  if (text.includes(key)) return true;
  const secret = key.slice(KEY_PREFIX.length);
  for (let i = 0; i + 12 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 12))) return true;
  }
  return false;
}

/** A piece of a secret that must never be found, and how a report names it. */
interface Needle {
  readonly what: string;
  readonly text: string;
}

/** A secret and every piece of it that would give it away, most telling first. */
export interface Canary {
  readonly name: string;
  readonly needles: readonly Needle[];
}

/**
 * An OpenRouter key as a canary: the key, its 64-hex body, the first 8 characters after
 * `sk-or-v1-` (a longer prefix contains them), and every 12-character run of the body (a key cut
 * anywhere by truncation).
 */
export function keyCanary(name: string, key: string): Canary {
  if (!key.startsWith(KEY_PREFIX)) throw new Error(`${name} is not shaped like an OpenRouter key`);
  const body = key.slice(KEY_PREFIX.length);
  const runs: Needle[] = [];
  for (let i = 0; i + 12 <= body.length; i++) {
    runs.push({ what: `the 12 characters of its body at ${i}`, text: body.slice(i, i + 12) });
  }
  return {
    name,
    needles: [
      { what: 'the whole key', text: key },
      { what: 'its 64-hex body', text: body },
      { what: `the first 8 characters after ${KEY_PREFIX}`, text: body.slice(0, 8) },
      ...runs,
    ],
  };
}

/** A webhook URL as a canary: the URL, the URL without its scheme, its path token and every 12-character run of it. */
export function webhookCanary(name: string, webhook: CanaryWebhook): Canary {
  const runs: Needle[] = [];
  for (let i = 0; i + 12 <= webhook.token.length; i++) {
    runs.push({ what: `the 12 characters of its token at ${i}`, text: webhook.token.slice(i, i + 12) });
  }
  return {
    name,
    needles: [
      { what: 'the whole URL', text: webhook.url },
      { what: 'the URL without its scheme', text: webhook.url.replace(/^[a-z]+:\/\//, '') },
      { what: 'its path token', text: webhook.token },
      ...runs,
    ],
  };
}

/**
 * Ways a server (or a bug) can hand a secret back that a plain substring search would miss, each
 * a function of the secret as stored. The canary search below sees through every one of them.
 */
export const SECRET_FORMS: readonly (readonly [string, (secret: string) => string])[] = [
  ['whole', (s) => s],
  ['its secret part alone', (s) => secretPartOf(s)],
  ['a 16-character run from its middle', (s) => secretPartOf(s).slice(20, 36)],
  ['two copies in one string', (s) => `${s} and again ${s}`],
  ['percent-encoded (encodeURIComponent)', (s) => encodeURIComponent(s)],
  ['every character percent-encoded', (s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
  ['split by a space', (s) => `${s.slice(0, 30)} ${s.slice(30)}`],
  ['split by a line break', (s) => `${s.slice(0, 25)}\n${s.slice(25)}`],
  ['split by a zero-width space', (s) => `${s.slice(0, 30)}\u200b${s.slice(30)}`],
  ['split by zero-width joiners everywhere', (s) => [...s].join('\u200d')],
  ['after a bidi override', (s) => `\u202e${s}\u202c`],
  ['upper-cased', (s) => s.toUpperCase()],
  ['cut short by its last 10 characters', (s) => s.slice(0, -10)],
];

/** A key's 64-hex body; a URL's path (what is secret in a webhook URL). */
function secretPartOf(secret: string): string {
  if (secret.startsWith(KEY_PREFIX)) return secret.slice(KEY_PREFIX.length);
  const path = /^https?:\/\/[^/]+(\/.*)$/.exec(secret)?.[1];
  return path ?? secret;
}

/**
 * An output as the canary search reads it besides as-is: percent-escapes decoded (twice),
 * whitespace and invisible characters dropped, lower-cased. Written apart from the product's
 * redactor on purpose, so that one bug cannot hide in both.
 */
export function seeThrough(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2; pass++) {
    out = out.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : '';
    });
  }
  return out.replace(/[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/gu, '').toLowerCase();
}

/** One canary found in one output. */
export interface Sighting {
  /** The name of the output it was found in. */
  readonly where: string;
  readonly canary: string;
  /** Which piece of it was found. */
  readonly what: string;
  /** Character offset in the output. */
  readonly at: number;
  /** The text around it, with the piece itself replaced by its description. */
  readonly excerpt: string;
}

/** Outputs by name (`"stdout, json format"`), each as the text that left the process. */
export type Outputs = Readonly<Record<string, string>>;

/**
 * Every canary found in the outputs: for each output and canary, its most telling piece found,
 * as-is or in a disguise (see {@link seeThrough}; the excerpt is then from the seen-through text).
 */
export function findCanaries(outputs: Outputs, canaries: readonly Canary[]): Sighting[] {
  const sightings: Sighting[] = [];
  for (const [where, original] of Object.entries(outputs)) {
    const disguised = seeThrough(original);
    for (const canary of canaries) {
      let text = original;
      let needle = canary.needles.find((n) => original.includes(n.text));
      if (needle === undefined) {
        const found = canary.needles.find((n) => disguised.includes(n.text.toLowerCase()));
        if (found === undefined) continue;
        text = disguised;
        needle = { what: `${found.what}, disguised`, text: found.text.toLowerCase() };
      }
      const at = text.indexOf(needle.text);
      const before = text.slice(Math.max(0, at - 60), at);
      const after = text.slice(at + needle.text.length, at + needle.text.length + 60);
      const excerpt = `${before}<${canary.name}: ${needle.what}>${after}`.replace(/\s+/g, ' ');
      sightings.push({ where, canary: canary.name, what: needle.what, at, excerpt });
    }
  }
  return sightings;
}

/** Throws, naming each output a canary was found in, which canary, which piece of it and where. */
export function expectNoCanary(outputs: Outputs, canaries: readonly Canary[]): void {
  const sightings = findCanaries(outputs, canaries);
  if (sightings.length === 0) return;
  const lines = sightings.map(
    (s) => `- ${s.canary} (${s.what}) in "${s.where}" at character ${s.at}: …${s.excerpt}…`,
  );
  throw new Error(`A secret left the process:\n${lines.join('\n')}`);
}

/** A captured value as text to search: strings as they are, anything else through {@link exposeError}. */
export const asText = (value: unknown): string => (typeof value === 'string' ? value : exposeError(value));
