import { DAY_MS } from './clock';
import type { KeyFigures } from './scenarios';

/** A key's `usage_daily`, `usage_weekly`, `usage_monthly` and `limit_remaining` at one instant. */
export interface PeriodUsage {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
  /** Null when the key has no limit. */
  readonly limitRemaining: number | null;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * OpenRouter's periods are UTC: the day starts at midnight, the week on Monday, the month on the
 * 1st (openrouter-api.md, GET /key: "usage_weekly … current UTC week (Monday start)").
 */
export function periodStarts(now: Date): { day: number; week: number; month: number } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return {
    day,
    week: day - daysSinceMonday * DAY_MS,
    month: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
  };
}

/**
 * The period figures follow the clock, as a real account's do: a steady `dailySpend` over the
 * elapsed part of each period (never before the key existed), plus `spentToday` already spent
 * today. Fixed figures would make a Monday-morning week look like a week's spend in an hour.
 * Every figure is capped by the key's lifetime `usage`; a week that began last month may exceed
 * this month, as it does on OpenRouter.
 */
export function periodUsage(figures: KeyFigures, now: Date): PeriodUsage {
  const starts = periodStarts(now);
  const createdAt = now.getTime() - figures.createdDaysAgo * DAY_MS;
  const spentSince = (periodStart: number) => {
    const elapsedDays = (now.getTime() - Math.max(periodStart, createdAt)) / DAY_MS;
    return round(Math.min(figures.usage, figures.spentToday + figures.dailySpend * Math.max(0, elapsedDays)));
  };
  const daily = spentSince(starts.day);
  const weekly = spentSince(starts.week);
  const monthly = spentSince(starts.month);
  const spentThisPeriod = { daily, weekly, monthly }[figures.limitReset ?? 'daily'];
  const spentAgainstLimit = figures.limitReset === null ? figures.usage : spentThisPeriod;
  return {
    daily,
    weekly,
    monthly,
    limitRemaining: figures.limit === null ? null : round(figures.limit - spentAgainstLimit),
  };
}
