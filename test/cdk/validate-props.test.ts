import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseAuditConfig } from '../../lambda/engine/config';
import { AuditorPropsError } from '../../lib/props-error';
import {
  validateDigestHourUtc,
  validateEnvironmentName,
  validateMemorySize,
  validateReminderHours,
  validateTimeout,
} from '../../lib/validate-props';

// The edges of each range, on both sides: an off-by-one in a bound passes every value in the middle.
const rejects = (field: string, call: () => unknown) => {
  expect(call).toThrow(AuditorPropsError);
  expect(call).toThrow(new RegExp(`${field}: `));
};

describe('the props bounds, at their edges', () => {
  it('takes Lambda memory from 128 MB to 10240 MB (the Lambda limits), nothing outside', () => {
    expect(validateMemorySize(128)).toBe(128);
    expect(validateMemorySize(10_240)).toBe(10_240);
    rejects('memorySize', () => validateMemorySize(127));
    rejects('memorySize', () => validateMemorySize(10_241));
  });

  it('takes a timeout up to 900 s (the Lambda maximum) and from 15 s', () => {
    const config = parseAuditConfig({ maxLatencyMs: 1000 });
    expect(validateTimeout(Duration.seconds(900), config).toSeconds()).toBe(900);
    expect(validateTimeout(Duration.seconds(15), config).toSeconds()).toBe(15);
    rejects('timeout', () => validateTimeout(Duration.seconds(901), config));
    rejects('timeout', () => validateTimeout(Duration.seconds(14), config));
  });

  it('keeps the probe deadline plus twice the 5 s publishing reserve inside the timeout', () => {
    // 40 s probes: the audit's deadline and the handler's own reserve need 40 + 5 + 5 = 50 s.
    const config = parseAuditConfig({ maxLatencyMs: 40_000 });
    expect(validateTimeout(Duration.seconds(50), config).toSeconds()).toBe(50);
    rejects('timeout', () => validateTimeout(Duration.seconds(49), config));
    expect(() => validateTimeout(Duration.seconds(45), config)).toThrow(/use at least 50 s/);
  });

  it('takes an environment name of 1 to 32 characters (it goes into alert subjects)', () => {
    expect(validateEnvironmentName('p')).toBe('p');
    expect(validateEnvironmentName('e'.repeat(32))).toBe('e'.repeat(32));
    rejects('environmentName', () => validateEnvironmentName('e'.repeat(33)));
  });

  it('takes the digest hour 0 to 23', () => {
    expect(validateDigestHourUtc(0)).toBe(0);
    expect(validateDigestHourUtc(23)).toBe(23);
    rejects('digestHourUtc', () => validateDigestHourUtc(-1));
    rejects('digestHourUtc', () => validateDigestHourUtc(24));
  });

  it('takes reminders every 1 to 8760 hours (a year), fractions included', () => {
    expect(validateReminderHours(1)).toBe(1);
    expect(validateReminderHours(1.5)).toBe(1.5);
    expect(validateReminderHours(8760)).toBe(8760);
    rejects('reminderHours', () => validateReminderHours(0.5));
    rejects('reminderHours', () => validateReminderHours(8761));
  });
});
