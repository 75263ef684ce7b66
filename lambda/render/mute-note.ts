import type { CheckResult } from '../engine/result';

/** ` [muted until …: reason]` for a muted check, so that every format says why it does not count. */
export const muteNote = (check: Pick<CheckResult, 'muted' | 'mutedUntil' | 'muteReason'>): string =>
  check.muted === true ? ` [muted until ${check.mutedUntil ?? '?'}: ${check.muteReason ?? ''}]` : '';
