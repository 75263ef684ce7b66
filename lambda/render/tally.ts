import type { AuditResult, CheckStatus } from '../engine/result';

/** How many checks ended in each status. */
export type StatusTally = { readonly [S in CheckStatus]: number };

export function tallyStatuses(result: AuditResult): StatusTally {
  const tally = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const check of result.checks) tally[check.status] += 1;
  return tally;
}

/** `6 passed, 1 warned, 0 failed, 0 errors, 1 skipped`: the same words in every format. */
export function formatTally(tally: StatusTally): string {
  return `${tally.pass} passed, ${tally.warn} warned, ${tally.fail} failed, ${tally.error} errors, ${tally.skip} skipped`;
}
