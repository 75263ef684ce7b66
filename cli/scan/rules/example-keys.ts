import { createHash } from 'node:crypto';

/**
 * SHA-256 fingerprints of the key-shaped example values OpenRouter publishes in its API reference,
 * held as fingerprints so that this repository never commits a key-shaped string:
 * - `sk-or-v1-0e6f…1c96`: the `key` example of POST /auth/keys (exchangeAuthCodeForAPIKey) and of
 *   the created key in the POST /keys response schema;
 * - `sk-or-v1-d355…855d`: the `key` in the POST /keys (createKeys) response example;
 * - `sk-or-v1-au78…7890`: the `label` example of GET /key in the TypeScript SDK reference.
 * Source: github.com/OpenRouterTeam/docs, openapi/openapi.yaml and agent-sdk/typescript (2026-08-22);
 * generated SDKs and their READMEs copy the same values.
 */
const PUBLISHED_EXAMPLE_FINGERPRINTS: ReadonlySet<string> = new Set([
  'bf5883afeb1d6d80da112459d4da5a75f9d2b4abab6ddd328f2571ad934c2b2a',
  'd36004ba3be76734c37be7a0360b897ec3592106ecf6d104f7599405aa472282',
  '2942f7bf0f8b934af5c2144fa5059be98844cc29717ec53c615e0446153dc851',
]);

/** True when `value` is exactly one of OpenRouter's published example keys (any letter case kept). */
export function isPublishedExampleKey(value: string): boolean {
  if (!value.startsWith('sk-or-v1-')) return false;
  return PUBLISHED_EXAMPLE_FINGERPRINTS.has(createHash('sha256').update(value).digest('hex'));
}
