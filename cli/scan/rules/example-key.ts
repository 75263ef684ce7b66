import type { ScanRule } from './rule';

/**
 * Not a rule that reads files itself: `hardcoded-key` and `env-file-key` report a published example
 * key under this id instead of their own, so a copy of OpenRouter's API reference reads as what it is.
 */
export const exampleKeyRule: ScanRule = {
  id: 'example-key',
  heuristic: false,
  suppressible: true,
  severity: 'info',
  summary: "One of the example keys from OpenRouter's API reference: not a leak, but not a key either.",
  check: () => [],
};

export const EXAMPLE_KEY_MESSAGE =
  "the example key from OpenRouter's API reference, not a leaked key: nothing to revoke; if code sends it, requests fail with 401 — load the real key from the environment or a secret store";
