import { envFileKeyRule } from './env-file-key';
import { hardcodedKeyRule } from './hardcoded-key';
import { insecureUrlRule } from './insecure-url';
import { missingMaxTokensRule } from './missing-max-tokens';
import type { ScanRule } from './rule';

/** Every rule the scan runs on each text file. */
export const SCAN_RULES: readonly ScanRule[] = [
  hardcodedKeyRule,
  insecureUrlRule,
  missingMaxTokensRule,
  envFileKeyRule,
];
