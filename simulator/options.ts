import { defaultApiKey, defaultManagementKey } from './keys';
import { SCENARIOS, type ScenarioName, type SimulatorOptions } from './types';

/** SimulatorOptions with every default filled in and every value checked. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly scenario: ScenarioName;
  readonly latencyMs: number;
  readonly apiKey: string;
  readonly managementKey: string;
  readonly generationDelayMs: number;
  readonly extraKeys: number;
  readonly disabledKeys: number;
  readonly creditsWithRegularKey: '403' | 'zeros';
  readonly now: () => Date;
  readonly rateLimitRps: number | null;
  readonly errorRate: number;
  readonly random: () => number;
}

const MAX_DELAY_MS = 3_600_000;

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `simulator option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/** True for 127.0.0.0/8, ::1 and `localhost`: the simulator never listens beyond this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}

export function isScenarioName(name: string): name is ScenarioName {
  return SCENARIOS.some((scenario) => scenario === name);
}

export function assertScenario(name: string): asserts name is ScenarioName {
  if (!isScenarioName(name)) {
    throw new RangeError(`unknown scenario "${name}"; scenarios: ${SCENARIOS.join(', ')}`);
  }
}

export function assertLatency(ms: number): number {
  return integerIn('latencyMs', ms, 0, MAX_DELAY_MS);
}

export function assertRateLimit(rps: number | null): number | null {
  if (rps === null) return null;
  if (!Number.isFinite(rps) || rps <= 0 || rps > 100_000)
    throw new RangeError(
      `simulator option rateLimitRps must be a number above 0 and at most 100000, got ${String(rps)}`,
    );
  return rps;
}

export function assertErrorRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new RangeError(`simulator option errorRate must be a number from 0 to 1, got ${String(rate)}`);
  return rate;
}

/** Fills defaults and rejects bad options. Messages never contain a key. */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new RangeError(`simulator host must be a loopback address, got "${host}"`);
  const scenario = options.scenario ?? 'healthy';
  assertScenario(scenario);
  const apiKey = options.apiKey ?? defaultApiKey();
  const managementKey = options.managementKey ?? defaultManagementKey();
  if (apiKey.trim() === '' || /\s/.test(apiKey))
    throw new RangeError('simulator option apiKey must be a non-empty token');
  if (managementKey.trim() === '' || /\s/.test(managementKey)) {
    throw new RangeError('simulator option managementKey must be a non-empty token');
  }
  if (apiKey === managementKey)
    throw new RangeError('simulator options apiKey and managementKey must differ');
  const credits = options.creditsWithRegularKey ?? '403';
  if (credits !== '403' && credits !== 'zeros') {
    throw new RangeError(
      `simulator option creditsWithRegularKey must be "403" or "zeros", got "${String(credits)}"`,
    );
  }
  return {
    port: integerIn('port', options.port ?? 0, 0, 65_535),
    // `localhost` may resolve to ::1 first; the documented base URL is on 127.0.0.1.
    host: host === 'localhost' ? '127.0.0.1' : host,
    scenario,
    latencyMs: assertLatency(options.latencyMs ?? 0),
    apiKey,
    managementKey,
    generationDelayMs: integerIn('generationDelayMs', options.generationDelayMs ?? 1000, 0, MAX_DELAY_MS),
    extraKeys: integerIn('extraKeys', options.extraKeys ?? 4, 0, 1_000_000),
    disabledKeys: integerIn('disabledKeys', options.disabledKeys ?? 0, 0, 1_000_000),
    creditsWithRegularKey: credits,
    now: options.now ?? (() => new Date()),
    rateLimitRps: assertRateLimit(options.rateLimitRps ?? null),
    errorRate: assertErrorRate(options.errorRate ?? 0),
    random: options.random ?? Math.random,
  };
}
