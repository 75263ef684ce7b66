import { parseMuteUntil } from './config-insights';
import type { CheckId, CheckResult } from './result';

export interface Mute {
  readonly check: CheckId;
  readonly until: string;
  readonly reason: string;
}

/**
 * Marks the results a mute covers at `now`. The status is left as measured, so every output still
 * shows the truth; `muted` is what takes the check out of the verdict, the exit code and alerts.
 * An expired mute does nothing: the check counts again the first run after `until`.
 */
export function applyMutes(checks: readonly CheckResult[], mutes: readonly Mute[], now: Date): CheckResult[] {
  return checks.map((check) => {
    const active = mutes
      .filter((m) => m.check === check.id)
      .map((m) => ({ mute: m, until: parseMuteUntil(m.until) }))
      .filter((m): m is { mute: Mute; until: Date } => m.until !== null && m.until.getTime() > now.getTime())
      .sort((a, b) => b.until.getTime() - a.until.getTime())[0];
    if (active === undefined) return check;
    return { ...check, muted: true, mutedUntil: active.until.toISOString(), muteReason: active.mute.reason };
  });
}
