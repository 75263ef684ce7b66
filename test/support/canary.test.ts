/**
 * A self-test of the secrecy suite's canary search (test/support/canary.ts), not product coverage:
 * it proves the search the secrecy tests rely on would see a leak in each form it claims to, so
 * that "no canary found" there means something. The redactor's own forms are tested in
 * test/redaction/.
 */
import { describe, expect, it } from 'vitest';
import { maskKey } from '../../lambda/engine/redact';
import {
  type Canary,
  canaryWebhook,
  expectNoCanary,
  freshCanaryKey,
  keyCanary,
  webhookCanary,
} from './canary';

const apiKey = freshCanaryKey();
const managementKey = freshCanaryKey();
const webhook = canaryWebhook();
const canaries: readonly Canary[] = [
  keyCanary('the API key', apiKey),
  keyCanary('the management key', managementKey),
  webhookCanary('the Slack webhook URL', webhook),
];

describe('test support: the canary search', () => {
  it.each([
    ['the whole API key', () => `Authorization: Bearer ${apiKey}`],
    ['the 64-hex body of the management key', () => `token=${managementKey.slice('sk-or-v1-'.length)}`],
    ['an 8-character prefix after sk-or-v1-', () => `key ${apiKey.slice(0, 'sk-or-v1-'.length + 8)}… cut`],
    ['12 characters from the end of a key', () => `…${managementKey.slice(-12)}`],
    ['the webhook URL', () => `posting to ${webhook.url}`],
    ['the webhook URL without its scheme', () => webhook.url.replace('https://', '')],
    ['the webhook path token', () => `{"path":"/${webhook.token}"}`],
  ])('fails, naming the output, when a captured string holds %s', (_case, captured) => {
    const outputs = { 'a clean output': 'nothing to see', 'a captured log line': captured() };
    expect(() => expectNoCanary(outputs, canaries)).toThrow(/in "a captured log line" at character \d+/);
    expect(() => expectNoCanary(outputs, canaries)).not.toThrow(/a clean output/);
  });

  it('lets through the masked label OpenRouter itself shows (3 + 3 characters)', () => {
    expect(() =>
      expectNoCanary({ label: `${maskKey(apiKey)} and ${maskKey(managementKey)}` }, canaries),
    ).not.toThrow();
  });
});
