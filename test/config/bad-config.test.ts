/**
 * Bad configuration, on every face that reads it: the schema (parseAuditConfig), the CLI
 * (`--config FILE` exits 2 with one line), the CDK synth (the construct and `-c auditConfig=...`)
 * and the Lambda's cold start (AUDIT_CONFIG). Every message names the field and what is allowed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_CONFIG_FIELDS,
  type AuditConfigInput,
  ConfigError,
  MAX_MODELS,
  parseAuditConfig,
} from '../../lambda/engine/config';
import { loadSettings, SettingsError } from '../../lambda/settings';
import { ENV } from '../../lambda/settings-names';
import { OpenRouterAuditorStack } from '../../lib/auditor-stack';
import { auditorAppFromContext } from '../../lib/context-props';
import { AuditorPropsError } from '../../lib/props-error';
import { runCliCaptured, startRequestCounter } from '../cli/harness';

interface BadConfig {
  /** The field at fault, as messages name it (`models.0` for the first model). */
  readonly field: string;
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** The problem as every face reports it: the field, then what is allowed. */
  readonly says: string;
  /** Problems reported in all, `says` first. @default 1 */
  readonly problems?: number;
}

const fourModels = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku', 'google/gemini-2.0-flash-001', 'x/y'];

const BAD_CONFIGS: readonly BadConfig[] = [
  {
    field: 'models',
    kind: 'a string',
    config: { models: 'openai/gpt-4o-mini' },
    says: 'models: must be an array',
  },
  { field: 'models', kind: 'null', config: { models: null }, says: 'models: must be an array' },
  {
    field: 'models.0',
    kind: 'a number as a model',
    config: { models: [42] },
    says: 'models.0: must be a string',
  },
  {
    field: 'models.0',
    kind: 'a model id without a provider',
    config: { models: ['gpt-4o'] },
    says: 'models.0: must be an OpenRouter model id such as "openai/gpt-4o-mini"',
  },
  { field: 'models', kind: 'no model', config: { models: [] }, says: 'models: must list at least 1 model' },
  {
    field: 'models',
    kind: `more than ${MAX_MODELS} models`,
    config: { models: fourModels },
    says: `models: must list at most ${MAX_MODELS} models (OpenRouter's fallback limit)`,
  },
  {
    field: 'models',
    kind: 'a duplicate model',
    config: { models: ['openai/gpt-4o-mini', 'openai/gpt-4o-mini'] },
    says: 'models: must not list the same model twice',
  },
  { field: 'probe', kind: 'a string', config: { probe: 'yes' }, says: 'probe: must be a boolean' },
  {
    field: 'probeMaxTokens',
    kind: 'a string',
    config: { probeMaxTokens: '1' },
    says: 'probeMaxTokens: must be a number',
  },
  {
    field: 'probeMaxTokens',
    kind: 'zero',
    config: { probeMaxTokens: 0 },
    says: 'probeMaxTokens: must be at least 1',
  },
  {
    field: 'probeMaxTokens',
    kind: 'too many',
    config: { probeMaxTokens: 4097 },
    says: 'probeMaxTokens: must be at most 4096',
  },
  {
    field: 'probeMaxTokens',
    kind: 'a fraction',
    config: { probeMaxTokens: 1.5 },
    says: 'probeMaxTokens: must be an integer',
  },
  {
    field: 'minCreditsUsd',
    kind: 'a string',
    config: { minCreditsUsd: '10' },
    says: 'minCreditsUsd: must be a number',
  },
  {
    field: 'minCreditsUsd',
    kind: 'negative',
    config: { minCreditsUsd: -1 },
    says: 'minCreditsUsd: must be at least 0',
  },
  {
    field: 'minCreditsUsd',
    kind: 'too large',
    config: { minCreditsUsd: 1_000_001 },
    says: 'minCreditsUsd: must be at most 1000000',
  },
  {
    field: 'minRunwayDays',
    kind: 'a boolean',
    config: { minRunwayDays: true },
    says: 'minRunwayDays: must be a number',
  },
  {
    field: 'minRunwayDays',
    kind: 'negative',
    config: { minRunwayDays: -1 },
    says: 'minRunwayDays: must be at least 0',
  },
  {
    field: 'minRunwayDays',
    kind: 'over 10 years',
    config: { minRunwayDays: 3651 },
    says: 'minRunwayDays: must be at most 3650',
  },
  {
    field: 'requireKeyLimit',
    kind: 'a string',
    config: { requireKeyLimit: 'true' },
    says: 'requireKeyLimit: must be a boolean',
  },
  {
    field: 'maxKeyAgeDays',
    kind: 'a string',
    config: { maxKeyAgeDays: '90' },
    says: 'maxKeyAgeDays: must be a number',
  },
  {
    field: 'maxKeyAgeDays',
    kind: 'zero',
    config: { maxKeyAgeDays: 0 },
    says: 'maxKeyAgeDays: must be at least 1',
    // The default keyAgeWarnDays (75) is now above it: true, and said too.
    problems: 2,
  },
  {
    field: 'maxKeyAgeDays',
    kind: 'over 10 years',
    config: { maxKeyAgeDays: 3651 },
    says: 'maxKeyAgeDays: must be at most 3650',
  },
  {
    field: 'maxKeyAgeDays',
    kind: 'a fraction',
    config: { maxKeyAgeDays: 1.5 },
    says: 'maxKeyAgeDays: must be an integer',
  },
  {
    field: 'keyAgeWarnDays',
    kind: 'null',
    config: { keyAgeWarnDays: null },
    says: 'keyAgeWarnDays: must be a number',
  },
  {
    field: 'keyAgeWarnDays',
    kind: 'zero',
    config: { keyAgeWarnDays: 0 },
    says: 'keyAgeWarnDays: must be at least 1',
  },
  {
    field: 'keyAgeWarnDays',
    kind: 'above maxKeyAgeDays',
    config: { keyAgeWarnDays: 100, maxKeyAgeDays: 90 },
    says: 'keyAgeWarnDays: must not be greater than maxKeyAgeDays',
  },
  {
    field: 'keyExpiryWarnDays',
    kind: 'a string',
    config: { keyExpiryWarnDays: '14' },
    says: 'keyExpiryWarnDays: must be a number',
  },
  {
    field: 'keyExpiryWarnDays',
    kind: 'negative',
    config: { keyExpiryWarnDays: -1 },
    says: 'keyExpiryWarnDays: must be at least 0',
  },
  {
    field: 'keyExpiryWarnDays',
    kind: 'a fraction',
    config: { keyExpiryWarnDays: 0.5 },
    says: 'keyExpiryWarnDays: must be an integer',
  },
  {
    field: 'modelExpiryWarnDays',
    kind: 'an object',
    config: { modelExpiryWarnDays: { days: 30 } },
    says: 'modelExpiryWarnDays: must be a number',
  },
  {
    field: 'modelExpiryWarnDays',
    kind: 'over 10 years',
    config: { modelExpiryWarnDays: 3651 },
    says: 'modelExpiryWarnDays: must be at most 3650',
  },
  {
    field: 'dailyBudgetUsd',
    kind: 'a string',
    config: { dailyBudgetUsd: '50' },
    says: 'dailyBudgetUsd: must be a number or null',
  },
  {
    field: 'dailyBudgetUsd',
    kind: 'zero',
    config: { dailyBudgetUsd: 0 },
    says: 'dailyBudgetUsd: must be more than 0',
  },
  {
    field: 'dailyBudgetUsd',
    kind: 'negative',
    config: { dailyBudgetUsd: -5 },
    says: 'dailyBudgetUsd: must be more than 0',
  },
  {
    field: 'dailyBudgetUsd',
    kind: 'too large',
    config: { dailyBudgetUsd: 1_000_001 },
    says: 'dailyBudgetUsd: must be at most 1000000',
  },
  {
    field: 'maxLatencyMs',
    kind: 'a string',
    config: { maxLatencyMs: '10s' },
    says: 'maxLatencyMs: must be a number',
  },
  {
    field: 'maxLatencyMs',
    kind: 'zero',
    config: { maxLatencyMs: 0 },
    says: 'maxLatencyMs: must be at least 1',
  },
  {
    field: 'maxLatencyMs',
    kind: 'over 10 minutes',
    config: { maxLatencyMs: 600_001 },
    says: 'maxLatencyMs: must be at most 600000',
  },
  {
    field: 'maxLatencyMs',
    kind: 'a fraction',
    config: { maxLatencyMs: 1.5 },
    says: 'maxLatencyMs: must be an integer',
  },
  {
    field: 'modelz',
    kind: 'an unknown field',
    config: { modelz: ['openai/gpt-4o-mini'] },
    says: 'unknown field "modelz"; allowed: models, probe, probeMaxTokens, minCreditsUsd, minRunwayDays, requireKeyLimit, maxKeyAgeDays, keyAgeWarnDays, keyExpiryWarnDays, modelExpiryWarnDays, dailyBudgetUsd, maxLatencyMs, minUptimePercent, spendSpikeFactor, spendSpikeMinUsd, keyBudgets, mute',
  },
  {
    field: 'baseUrl',
    kind: 'the base URL, which is a flag or setting, not a config field',
    config: { baseUrl: 'https://openrouter.ai/api/v1' },
    says: `unknown field "baseUrl"; allowed: ${AUDIT_CONFIG_FIELDS.join(', ')}`,
  },
];

/** `[name, row]` pairs, so that `%s` prints each test's name in full. */
const CASES = BAD_CONFIGS.map((row): [string, BadConfig] => [`${row.field}: ${row.kind}`, row]);

/** The field as the construct's error names it: the config's own path below `auditConfig`. */
const propsField = (row: BadConfig): string =>
  row.says.startsWith('unknown field') ? 'auditConfig' : `auditConfig.${row.field}`;

function thrownBy(build: () => unknown): unknown {
  try {
    build();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseAuditConfig rejects every bad field with a ConfigError naming it and what is allowed', () => {
  it.each(CASES)('%s', (_name, row) => {
    const error = thrownBy(() => parseAuditConfig(row.config));
    expect(error).toBeInstanceOf(ConfigError);
    if (!(error instanceof ConfigError)) return;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems[0]).toBe(row.says);
    // Only real problems: a value of the wrong type is not also reported as out of range.
    expect(error.problems).toHaveLength(row.problems ?? 1);
    expect(error.message).toContain(row.says);
  });
});

describe('the CLI exits 2 with one stderr line naming the field, before sending anything', () => {
  let dir = '';
  let counter: Awaited<ReturnType<typeof startRequestCounter>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-bad-config-'));
    counter = await startRequestCounter();
  });

  afterAll(async () => {
    await counter.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (_name, row) => {
    const file = `${row.field}-${row.kind.replace(/\W+/g, '-')}.json`;
    await writeFile(join(dir, file), JSON.stringify(row.config));

    const { code, stdout, stderr } = await runCliCaptured(['--config', file, '--base-url', counter.baseUrl], {
      env: { OPENROUTER_API_KEY: `sk-or-v1-${'5a'.repeat(32)}` },
      cwd: dir,
    });

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^openrouter-audit: [^\n]*\n$/);
    expect(stderr).toContain(`--config ${file}: ${row.says}`);
    if (row.problems === undefined) {
      expect(stderr).toBe(`openrouter-audit: --config ${file}: ${row.says} (see openrouter-audit --help)\n`);
    }
    expect(counter.count()).toBe(0);
  });
});

describe('synth fails naming the field', () => {
  afterAll(() => {
    // Every App makes a temporary output folder when it is created.
    CloudAssembly.cleanupTemporaryDirectories();
  });

  it.each(CASES)('the construct, given %s', (_name, row) => {
    const error = thrownBy(
      () =>
        new OpenRouterAuditorStack(new App(), 'BadConfig', {
          // JavaScript users and JSON context can pass anything: the construct checks at synth.
          auditor: {
            apiKeySecret: 'openrouter-auditor/api-key',
            auditConfig: row.config as AuditConfigInput,
          },
        }),
    );
    expect(error).toBeInstanceOf(AuditorPropsError);
    if (!(error instanceof AuditorPropsError)) return;
    expect(error.field).toBe(propsField(row));
    expect(error.message).toContain(`OpenRouterAuditor: ${propsField(row)}: `);
    expect(error.message).toContain(row.says);
  });

  it.each(CASES)('the app, given -c auditConfig with %s', (_name, row) => {
    const context = (key: string) => (key === 'auditConfig' ? JSON.stringify(row.config) : undefined);
    const error = thrownBy(() => auditorAppFromContext(context));
    expect(error).toBeInstanceOf(AuditorPropsError);
    expect(String(error)).toContain(row.says);
  });
});

describe('the Lambda refuses the same config at cold start, naming AUDIT_CONFIG and the field', () => {
  const VALID = {
    [ENV.apiKeySecretId]: 'openrouter/api-key',
    [ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:123456789012:openrouter-audit',
    [ENV.schedulePeriodMinutes]: '60',
    [ENV.stateParameterName]: '/openrouter-audit/state',
  };

  it.each(CASES)('%s', (_name, row) => {
    const error = thrownBy(() => loadSettings({ ...VALID, [ENV.auditConfig]: JSON.stringify(row.config) }));
    expect(error).toBeInstanceOf(SettingsError);
    if (!(error instanceof SettingsError)) return;
    expect(error.problems[0]).toContain(`${ENV.auditConfig}: ${row.says}`);
  });
});

describe('a base URL in plain http to a host beyond this machine is refused on every face', () => {
  const insecure = 'http://api.example.com/api/v1';

  it('the CLI exits 2 naming --base-url and what is allowed', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['--base-url', insecure], {
      env: { OPENROUTER_API_KEY: `sk-or-v1-${'5a'.repeat(32)}` },
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^openrouter-audit: --base-url: The OpenRouter base URL must use https \(plain http is allowed only for 127\.0\.0\.1, localhost or \[::1\]\)[^\n]*\n$/,
    );
  });

  it('synth fails naming openRouterBaseUrl', () => {
    const context = (key: string) =>
      key === 'openRouterBaseUrl'
        ? insecure
        : key === 'apiKeySecret'
          ? 'openrouter-auditor/api-key'
          : undefined;
    const { stackProps } = auditorAppFromContext(context);
    const error = thrownBy(() => new OpenRouterAuditorStack(new App(), 'BadBaseUrl', stackProps));
    expect(error).toBeInstanceOf(AuditorPropsError);
    expect(error).toMatchObject({ field: 'openRouterBaseUrl' });
    expect(String(error)).toMatch(/must be an https URL/);
    CloudAssembly.cleanupTemporaryDirectories();
  });

  it.each([
    [insecure, true],
    ['http://10.0.0.8:4010/api/v1', true],
    ['http://127.0.0.1:4010/api/v1', false],
    ['https://openrouter.ai/api/v1', false],
  ])('the Lambda, given OPENROUTER_BASE_URL=%s, refuses it at cold start: %s', (url, refused) => {
    const env = {
      [ENV.apiKeySecretId]: 'openrouter/api-key',
      [ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:123456789012:openrouter-audit',
      [ENV.schedulePeriodMinutes]: '60',
      [ENV.stateParameterName]: '/openrouter-audit/state',
      [ENV.baseUrl]: url,
    };
    if (!refused) {
      expect(loadSettings(env).baseUrl).toBe(url);
      return;
    }
    const error = thrownBy(() => loadSettings(env));
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toMatchObject({
      problems: [
        expect.stringMatching(
          /^OPENROUTER_BASE_URL must be .*plain http only to 127\.0\.0\.1, localhost or \[::1\]/,
        ),
      ],
    });
  });
});
