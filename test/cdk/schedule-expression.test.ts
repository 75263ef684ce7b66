import { describe, expect, it } from 'vitest';
import { AuditorPropsError } from '../../lib/props-error';
import { DEFAULT_SCHEDULE, parseSchedule } from '../../lib/schedule-expression';

describe('parseSchedule', () => {
  it('defaults to hourly', () => {
    expect(parseSchedule()).toEqual({ kind: 'rate', expression: 'rate(1 hour)', periodMinutes: 60 });
    expect(DEFAULT_SCHEDULE).toBe('rate(1 hour)');
  });

  it.each([
    ['rate(5 minutes)', 'rate(5 minutes)', 5],
    ['rate(30 minutes)', 'rate(30 minutes)', 30],
    ['  rate(2 hours) ', 'rate(2 hours)', 120],
    ['rate(1 hours)', 'rate(1 hour)', 60],
    ['rate(1 day)', 'rate(1 day)', 1440],
  ])('reads %j as %j every %i minutes', (input, expression, periodMinutes) => {
    expect(parseSchedule(input)).toEqual({ kind: 'rate', expression, periodMinutes });
  });

  it.each([
    ['cron(0 * * * ? *)', 60],
    ['cron(15 * * * ? *)', 60],
    ['cron(0/15 * * * ? *)', 15],
    ['cron(*/10 * * * ? *)', 10],
    ['cron(0,30 * * * ? *)', 30],
    ['cron(5 0/6 * * ? *)', 360],
    ['cron(0 0,12 * * ? *)', 720],
    ['cron(30 2 * * ? *)', 1440],
    ['cron(30 2 ? * * *)', 1440],
  ])('infers that %j runs every %i minutes', (expression, periodMinutes) => {
    expect(parseSchedule(expression)).toEqual({ kind: 'cron', expression, periodMinutes });
  });

  it.each([
    ['cron(0 9 ? * MON-FRI *)'],
    ['cron(0 9 1 * ? *)'],
    ['cron(0,10 * * * ? *)'],
    ['cron(0 9,17 * * ? *)'],
  ])('asks for schedulePeriodMinutes when %j is not evenly spaced every day', (expression) => {
    expect(() => parseSchedule(expression)).toThrow(/schedule: .*set schedulePeriodMinutes/);
    expect(parseSchedule(expression, 1440).periodMinutes).toBe(1440);
  });

  it.each([
    ['every hour', /schedule: must be "rate\(/],
    ['rate(0 minutes)', /schedule: a rate must be at least 1/],
    ['rate(1 week)', /schedule: must be "rate\(/],
    ['rate(2 minutes)', /schedule: .*from 5 to 1440/],
    ['rate(2 days)', /schedule: .*from 5 to 1440/],
    ['cron(0 * * * *)', /schedule: a cron expression has 6 fields/],
    ['cron(0 * * * * *)', /schedule: exactly one of cron day-of-month and day-of-week must be "\?"/],
    ['cron(0 * ? * ? *)', /schedule: exactly one of/],
    ['cron(0 $ * * ? *)', /schedule: cron field hours/],
    ['cron(* * * * ? *)', /schedule: .*from 5 to 1440/],
  ])('rejects %j naming the field', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
    expect(() => parseSchedule(expression)).toThrow(AuditorPropsError);
  });

  it.each([[0], [4], [1441], [7.5]])('rejects schedulePeriodMinutes %d', (minutes) => {
    expect(() => parseSchedule('cron(0 9 ? * MON-FRI *)', minutes)).toThrow(
      /schedulePeriodMinutes: .*from 5 to 1440/,
    );
  });

  it('does not read a step starting at or after its own size as evenly spaced', () => {
    // 15/15 runs at :15, :30 and :45 only: 30 minutes from :45 to the next :15.
    expect(() => parseSchedule('cron(15/15 * * * ? *)')).toThrow(/set schedulePeriodMinutes/);
    expect(() => parseSchedule('cron(0 12/12 * * ? *)')).toThrow(/set schedulePeriodMinutes/);
    expect(parseSchedule('cron(5/15 * * * ? *)').periodMinutes).toBe(15);
    expect(parseSchedule('cron(0 11/12 * * ? *)').periodMinutes).toBe(720);
  });

  it('rejects a schedulePeriodMinutes that contradicts a rate', () => {
    expect(() => parseSchedule('rate(1 hour)', 30)).toThrow(/schedulePeriodMinutes: 30 contradicts/);
    expect(parseSchedule('rate(1 hour)', 60).periodMinutes).toBe(60);
  });
});
