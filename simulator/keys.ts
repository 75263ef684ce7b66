import { createHash } from 'node:crypto';

/** Every OpenRouter key starts with this prefix, followed by 64 lowercase hex characters. */
export const KEY_PREFIX = 'sk-or-v1-';

/**
 * The API key the simulator accepts by default. Built at run time so that no file holds a
 * string shaped like a real key; the repeated pattern makes it obviously fake.
 */
export function defaultApiKey(): string {
  return KEY_PREFIX + 'a1'.repeat(32);
}

/** The management key the simulator accepts by default (same shape, a different fake pattern). */
export function defaultManagementKey(): string {
  return KEY_PREFIX + 'e0'.repeat(32);
}

/**
 * OpenRouter's masked form of a key, as `label` in `/key` and `/keys`:
 * `sk-or-v1-` + the first 3 and the last 3 characters after the prefix.
 */
export function keyLabel(key: string): string {
  const secret = key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
  // A key too short to mask without revealing most of it gets a fixed mask instead.
  if (secret.length < 12) return `${KEY_PREFIX}***`;
  return `${KEY_PREFIX}${secret.slice(0, 3)}...${secret.slice(-3)}`;
}

/** The key's `hash` in `/keys`: SHA-256 hex of the plaintext key. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What the simulator knows of a key without keeping its plaintext: the masked label and the hash. */
export interface KeyIdentity {
  readonly label: string;
  readonly hash: string;
}

export function identify(key: string): KeyIdentity {
  return { label: keyLabel(key), hash: keyHash(key) };
}

/**
 * 64 hex characters of fake key material: one scrambled 32-bit word repeated. Only its label
 * (first and last 3 characters) and its hash are ever shown, so it needs to differ between keys,
 * not to look random; this keeps a 10,000-key account quick to build.
 */
function fakeKeyMaterial(seed: number): string {
  return (Math.imul(seed, 2_654_435_761) >>> 0).toString(16).padStart(8, '0').repeat(8);
}

/**
 * Identities of `count` further keys of the account, derived deterministically from their index
 * so that every run shows the same account. A key whose label would equal one of `reserved`
 * (the API key's, the management key's) is derived again: a clash would make label matching
 * ambiguous in a way the scenario did not ask for.
 */
export function extraKeyIdentities(count: number, reserved: ReadonlySet<string>): readonly KeyIdentity[] {
  const identities: KeyIdentity[] = [];
  for (let index = 0; index < count; index++) {
    let identity: KeyIdentity;
    let salt = 0;
    do {
      identity = identify(KEY_PREFIX + fakeKeyMaterial(index + 1 + salt * 0x01000193));
      salt++;
    } while (reserved.has(identity.label));
    identities.push(identity);
  }
  return identities;
}
