import { AuditorPropsError } from './props-error';

/** How often the auditor runs unless told otherwise. */
export const DEFAULT_SCHEDULE = 'rate(1 hour)';
/**
 * Bounds of the schedule period. Every run sends real (tiny) completions that cost credits, and
 * CloudWatch needs minutes to show a run's metrics; beyond a day the heartbeat alarm (two periods)
 * would take days to notice a stopped auditor.
 */
export const MIN_SCHEDULE_PERIOD_MINUTES = 5;
export const MAX_SCHEDULE_PERIOD_MINUTES = 1440;

/** A validated schedule: the expression EventBridge Scheduler gets and the minutes between runs. */
export interface AuditSchedule {
  readonly kind: 'rate' | 'cron';
  /** Canonical form, e.g. `rate(30 minutes)` or `cron(0 * * * ? *)`. */
  readonly expression: string;
  /** Minutes between two runs: the heartbeat alarm's period and `SCHEDULE_PERIOD_MINUTES`. */
  readonly periodMinutes: number;
}

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60, day: 1440 };

// Characters EventBridge Scheduler accepts per cron field (minutes hours day-of-month month day-of-week year).
const CRON_FIELDS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'minutes', pattern: /^[0-9,*/-]+$/ },
  { name: 'hours', pattern: /^[0-9,*/-]+$/ },
  { name: 'day-of-month', pattern: /^[0-9,*/?LW-]+$/ },
  { name: 'month', pattern: /^[0-9A-Za-z,*/-]+$/ },
  { name: 'day-of-week', pattern: /^[0-9A-Za-z,*/?L#-]+$/ },
  { name: 'year', pattern: /^[0-9,*/-]+$/ },
];

const FIELD = 'schedule';
const PERIOD_FIELD = 'schedulePeriodMinutes';

/**
 * Validates a `rate(...)` or `cron(...)` expression and derives the minutes between runs. For a cron
 * expression the period is inferred when the runs are evenly spaced every day (e.g. `cron(0 * * * ? *)`,
 * `cron(0/15 * * * ? *)`, `cron(30 2 * * ? *)`); otherwise `schedulePeriodMinutes` must say it.
 * Throws AuditorPropsError naming `schedule` or `schedulePeriodMinutes`.
 */
export function parseSchedule(
  expression: string = DEFAULT_SCHEDULE,
  schedulePeriodMinutes?: number,
): AuditSchedule {
  const text = expression.trim();
  if (schedulePeriodMinutes !== undefined) checkPeriod(schedulePeriodMinutes, PERIOD_FIELD);

  const rate = RATE.exec(text);
  if (rate) {
    const [, amountText = '', unitText = ''] = rate;
    const amount = Number(amountText);
    const unit = unitText.replace(/s$/, '');
    if (amount < 1) throw new AuditorPropsError(FIELD, 'a rate must be at least 1, e.g. "rate(1 hour)"');
    const periodMinutes = amount * (UNIT_MINUTES[unit] ?? Number.NaN);
    checkPeriod(periodMinutes, FIELD);
    if (schedulePeriodMinutes !== undefined && schedulePeriodMinutes !== periodMinutes) {
      throw new AuditorPropsError(
        PERIOD_FIELD,
        `${schedulePeriodMinutes} contradicts schedule "${text}" (${periodMinutes} minutes); leave it unset for rate schedules`,
      );
    }
    return { kind: 'rate', expression: `rate(${amount} ${unit}${amount === 1 ? '' : 's'})`, periodMinutes };
  }

  const cron = CRON.exec(text);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    checkCronFields(fields);
    const periodMinutes = schedulePeriodMinutes ?? inferCronPeriod(fields);
    if (periodMinutes === undefined) {
      throw new AuditorPropsError(
        FIELD,
        `cannot infer the minutes between runs of "${text}" (runs are not evenly spaced every day); set ${PERIOD_FIELD}`,
      );
    }
    checkPeriod(periodMinutes, schedulePeriodMinutes === undefined ? FIELD : PERIOD_FIELD);
    return { kind: 'cron', expression: `cron(${fields.join(' ')})`, periodMinutes };
  }

  throw new AuditorPropsError(
    FIELD,
    'must be "rate(N minute|minutes|hour|hours|day|days)" or "cron(minutes hours day-of-month month day-of-week year)"',
  );
}

function checkPeriod(minutes: number, field: string): void {
  if (
    !Number.isInteger(minutes) ||
    minutes < MIN_SCHEDULE_PERIOD_MINUTES ||
    minutes > MAX_SCHEDULE_PERIOD_MINUTES
  ) {
    throw new AuditorPropsError(
      field,
      `the period between runs must be a whole number of minutes from ${MIN_SCHEDULE_PERIOD_MINUTES} to ${MAX_SCHEDULE_PERIOD_MINUTES} (1 day), got ${String(minutes)}`,
    );
  }
}

function checkCronFields(fields: readonly string[]): void {
  if (fields.length !== CRON_FIELDS.length) {
    throw new AuditorPropsError(
      FIELD,
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  }
  fields.forEach((value, index) => {
    const spec = CRON_FIELDS[index];
    if (spec !== undefined && !spec.pattern.test(value)) {
      throw new AuditorPropsError(
        FIELD,
        `cron field ${spec.name} "${value}" has characters it does not allow`,
      );
    }
  });
  const [, , dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new AuditorPropsError(FIELD, 'exactly one of cron day-of-month and day-of-week must be "?"');
  }
}

/** Minutes between runs when they are evenly spaced on every day, else undefined. */
function inferCronPeriod(fields: readonly string[]): number | undefined {
  const [minutes = '', hours = '', dayOfMonth, month, dayOfWeek, year] = fields;
  const everyDay =
    (dayOfMonth === '*' || dayOfMonth === '?') &&
    month === '*' &&
    (dayOfWeek === '*' || dayOfWeek === '?') &&
    year === '*';
  if (!everyDay) return undefined;

  const minuteStep = spacing(minutes, 60);
  if (hours === '*') return minuteStep;
  if (!isSingle(minutes, 59)) return undefined;
  const hourStep = spacing(hours, 24);
  return hourStep === undefined ? undefined : hourStep * 60;
}

const isSingle = (field: string, max: number): boolean => /^\d+$/.test(field) && Number(field) <= max;

/**
 * The even spacing of a field's values over its cycle (60 minutes or 24 hours): "N" → the whole
 * cycle, "*" → 1, "a/k" or "* /k" → k when k divides the cycle and a < k, "a,b,c" → their even gap.
 */
function spacing(field: string, cycle: number): number | undefined {
  if (field === '*') return 1;
  if (isSingle(field, cycle - 1)) return cycle;
  const step = /^(\*|\d+)\/(\d+)$/.exec(field);
  if (step) {
    const start = step[1] === '*' ? 0 : Number(step[1]);
    const k = Number(step[2]);
    return k > 0 && cycle % k === 0 && start < k ? k : undefined;
  }
  if (/^\d+(,\d+)+$/.test(field)) {
    const values = [...new Set(field.split(',').map(Number))].sort((a, b) => a - b);
    if (values.some((v) => v >= cycle)) return undefined;
    const gap = cycle / values.length;
    const even = values.every((v, i) => i === 0 || v - (values[i - 1] ?? 0) === gap);
    return Number.isInteger(gap) && even ? gap : undefined;
  }
  return undefined;
}
