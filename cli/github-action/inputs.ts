import { CHECK_STATUSES, type CheckStatus } from '../../lambda/engine/result';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../../lambda/render/report';

/** `fail-on`: the least severe status that fails the step. */
export const FAIL_ON = ['fail', 'error', 'warn'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * The statuses that fail the step for each `fail-on`: `fail` lets checks that could not decide
 * (network, timeout) through, `error` is the CLI's own exit-code rule, `warn` is the strictest.
 */
export const FAILING_STATUSES: Readonly<Record<FailOn, readonly CheckStatus[]>> = {
  fail: ['fail'],
  error: ['fail', 'error'],
  warn: ['fail', 'error', 'warn'],
};

/** The action's inputs (action.yml), as the composite step passes them: INPUT_<NAME> variables. */
export interface ActionInputs {
  readonly config?: string;
  readonly formats: readonly ReportFormat[];
  readonly models?: readonly string[];
  readonly failOn: FailOn;
  readonly apiKey?: string;
  readonly managementKey?: string;
  readonly baseUrl?: string;
  readonly timeout?: string;
  readonly simulate?: string;
  readonly outputDir: string;
}

export class InputError extends Error {
  override readonly name = 'InputError';
}

const list = (value: string): string[] =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Reads and checks the inputs; throws InputError naming the input and what it accepts. */
export function readInputs(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const input = (name: string): string | undefined => {
    const value = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]?.trim();
    return value ? value : undefined;
  };
  const failOn = input('fail-on') ?? 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new InputError(`fail-on must be one of: ${FAIL_ON.join(', ')} (got "${failOn.slice(0, 20)}")`);
  }
  const formats = list(input('formats') ?? 'junit');
  for (const format of formats) {
    if (!isReportFormat(format)) {
      throw new InputError(
        `formats: each must be one of ${REPORT_FORMATS.join(', ')} (got "${format.slice(0, 20)}")`,
      );
    }
  }
  const models = input('models');
  const optional = (name: string, key: keyof ActionInputs) => {
    const value = input(name);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    failOn: FAIL_ON.find((f) => f === failOn) ?? 'error',
    formats: formats.filter(isReportFormat),
    outputDir: input('output-dir') ?? 'openrouter-audit-reports',
    ...(models === undefined ? {} : { models: list(models) }),
    ...optional('config', 'config'),
    ...optional('api-key', 'apiKey'),
    ...optional('management-key', 'managementKey'),
    ...optional('base-url', 'baseUrl'),
    ...optional('timeout', 'timeout'),
    ...optional('simulate', 'simulate'),
  };
}

export const isCheckStatus = (value: unknown): value is CheckStatus =>
  typeof value === 'string' && (CHECK_STATUSES as readonly string[]).includes(value);
