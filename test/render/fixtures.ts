import type { AuditResult, CheckResult } from '../../lambda/engine/result';

/** Deep-freezes a fixture so a renderer that mutates its input fails the test. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** One check of every status, in CHECK_IDS order, as the engine would return them. */
export const MIXED_CHECKS: readonly CheckResult[] = [
  {
    id: 'auth',
    status: 'pass',
    summary: 'API key sk-or-v1-726...f5c authenticates',
    values: { label: 'sk-or-v1-726...f5c', isManagementKey: false },
    durationMs: 120,
  },
  {
    id: 'key-limit',
    status: 'warn',
    summary: 'the key has no credit limit',
    remedy: 'Set a credit limit on the key in the OpenRouter dashboard.',
    values: { limit: null },
    durationMs: 120,
  },
  {
    id: 'credits',
    status: 'fail',
    summary: '$2.50 left, under the $10 minimum',
    remedy: 'Buy credits at openrouter.ai/settings/credits or enable auto top-up.',
    values: { balanceUsd: 2.5, limitRemainingUsd: null, runwayDays: 1.2 },
    durationMs: 340,
  },
  {
    id: 'key-age',
    status: 'pass',
    summary: 'the key is 12 days old',
    values: { ageDays: 12 },
    durationMs: 300,
  },
  {
    id: 'models',
    status: 'error',
    summary: 'GET /models timed out after 25000 ms',
    remedy: 'Check status.openrouter.ai and run the audit again.',
    values: { configured: ['openai/gpt-4o-mini'] },
    durationMs: 25_000,
  },
  {
    id: 'test-request',
    status: 'pass',
    summary: 'openai/gpt-4o-mini answered in 820 ms',
    values: {
      probes: [
        {
          model: 'openai/gpt-4o-mini',
          role: 'primary',
          ok: true,
          latencyMs: 820,
          costUsd: 0.000002,
          servedModel: 'openai/gpt-4o-mini',
          error: null,
        },
      ],
    },
    durationMs: 830,
  },
  {
    id: 'spend',
    status: 'skip',
    summary: 'no dailyBudgetUsd configured',
    values: {},
    durationMs: 0,
  },
  {
    id: 'keys',
    status: 'warn',
    summary: '2 of 5 keys have no credit limit',
    remedy: 'Give every key a credit limit.',
    values: { total: 5, withoutLimit: 2 },
    durationMs: 410,
  },
];

export function auditResult(checks: readonly CheckResult[] = MIXED_CHECKS): AuditResult {
  return deepFreeze({
    ok: !checks.some((c) => c.status === 'fail' || c.status === 'error'),
    startedAt: '2025-01-15T09:30:00.000Z',
    durationMs: 1234,
    checks: structuredClone(checks),
  });
}

/** Every check passing. */
export const passingResult = (): AuditResult =>
  auditResult(MIXED_CHECKS.map(({ remedy: _remedy, ...check }) => ({ ...check, status: 'pass' as const })));

/** A fake key in OpenRouter's shape, built at run time so no key-shaped literal lives in the repository. */
export const canaryKey = (seed: string): string => `sk-or-v1-${seed.repeat(64 / seed.length)}`;
