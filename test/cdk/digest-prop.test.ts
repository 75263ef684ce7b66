import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { auditorAppFromContext, type ContextKey } from '../../lib/context-props';
import { AuditorPropsError } from '../../lib/props-error';
import { buildAuditor, templateOf } from './support';

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

function lambdaVariables(digestHourUtc?: number): Record<string, unknown> {
  const template = templateOf(
    buildAuditor({
      apiKeySecret: 'openrouter-auditor/api-key',
      ...(digestHourUtc === undefined ? {} : { digestHourUtc }),
    }),
  );
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  return (fn?.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
}

describe('digestHourUtc (daily digest, opt-in)', () => {
  it('is off by default and sets DIGEST_HOUR_UTC when given', () => {
    expect(lambdaVariables()[ENV.digestHourUtc]).toBeUndefined();
    expect(lambdaVariables(7)[ENV.digestHourUtc]).toBe('7');
  });

  it('rejects an hour outside 0-23 at synth time', () => {
    expect(() => lambdaVariables(24)).toThrow(AuditorPropsError);
    expect(() => lambdaVariables(7.5)).toThrow(/digestHourUtc/);
  });

  it('is read from the context key -c digestHourUtc=7', () => {
    const context: Partial<Record<ContextKey, unknown>> = { digestHourUtc: '7' };
    expect(auditorAppFromContext((key) => context[key]).stackProps.auditor.digestHourUtc).toBe(7);
  });

  it('is read back by the Lambda, and a bad value names the variable', () => {
    const base = {
      [ENV.apiKeySecretId]: 'k',
      [ENV.alertTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      [ENV.schedulePeriodMinutes]: '60',
      [ENV.stateParameterName]: '/openrouter-audit/state',
    };
    expect(loadSettings({ ...base, [ENV.digestHourUtc]: '7' }).digestHourUtc).toBe(7);
    expect(loadSettings(base).digestHourUtc).toBeUndefined();
    expect(() => loadSettings({ ...base, [ENV.digestHourUtc]: '25' })).toThrow(
      /DIGEST_HOUR_UTC must be an integer from 0 to 23/,
    );
  });
});
