import { ciSecretScanRule } from './ci-secret-scan';
import { clientRetriesRule } from './client-retries';
import { clientTimeoutRule } from './client-timeout';
import { envFileKeyRule } from './env-file-key';
import { exampleKeyRule } from './example-key';
import { hardcodedKeyRule } from './hardcoded-key';
import { insecureUrlRule } from './insecure-url';
import { missingMaxTokensRule } from './missing-max-tokens';
import { noFallbackRule } from './no-fallback';
import type { ScanRule } from './rule';

/**
 * Every rule of the scan. Each reads one file at a time; `example-key` findings come from the key
 * rules, and `ci-secret-scan` from what the repository's files say once all are read.
 */
export const SCAN_RULES: readonly ScanRule[] = [
  hardcodedKeyRule,
  insecureUrlRule,
  missingMaxTokensRule,
  envFileKeyRule,
  exampleKeyRule,
  clientTimeoutRule,
  clientRetriesRule,
  noFallbackRule,
  ciSecretScanRule,
];
