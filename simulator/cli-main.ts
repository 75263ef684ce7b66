import { parseArgs } from 'node:util';
import { isScenarioName } from './options';
import { SCENARIO_SPECS } from './scenarios';
import { startSimulator } from './server';
import { SCENARIOS, type ScenarioName, type Simulator } from './types';

/** Where the CLI writes: one call per line. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The CLI either ends at once with an exit code, or leaves a running simulator for its entry to stop on a signal. */
export type CliOutcome =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'running'; readonly simulator: Simulator };

/** Exit code for bad usage (flags), as in the audit CLI. */
export const EXIT_USAGE = 2;

function usage(): string[] {
  const width = Math.max(...SCENARIOS.map((name) => name.length));
  return [
    'Usage: npm run simulator -- [--port N] [--scenario NAME] [--latency MS] [--generation-delay MS]',
    '                            [--rate-limit RPS] [--error-rate P]',
    '',
    'Starts the local OpenRouter simulator on 127.0.0.1 and prints its base URL and the fake keys it accepts.',
    '',
    'Options:',
    '  --port N               port to listen on; 0 picks a free one (default 0)',
    '  --scenario NAME        account state to serve (default healthy)',
    '  --latency MS           delay added to every answer (default 0)',
    '  --generation-delay MS  how long /generation answers 404 after a completion (default 1000)',
    '  --rate-limit RPS       completions admitted per second; past it, 429 with Retry-After (default none)',
    '  --error-rate P         share (0-1) of completion attempts whose provider fails with 502; the',
    "                         request's `models` fallbacks are tried in order (default 0)",
    '  --help                 show this help',
    '',
    'Load testing: --rate-limit, --error-rate and --latency together answer like OpenRouter under',
    "load, to test an application's retry (429 Retry-After, 5xx backoff) and fallback logic offline.",
    '',
    'Scenarios:',
    ...SCENARIOS.map((name) => `  ${name.padEnd(width)}  ${SCENARIO_SPECS[name].description}`),
  ];
}

function numberFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max)
    throw new RangeError(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function integerFlag(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw new RangeError(`--${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return Number(raw);
}

/**
 * Parses the flags and starts the simulator. Bad flags give one line on stderr and exit code 2;
 * a port that cannot be opened gives exit code 1. The keys printed are the simulator's own fake
 * keys: printing them is the point, so that a user can point an app at it.
 */
export async function runSimulatorCli(argv: readonly string[], output: CliOutput): Promise<CliOutcome> {
  let port: number;
  let latencyMs: number;
  let generationDelayMs: number;
  let scenario: ScenarioName;
  let rateLimitRps: number | undefined;
  let errorRate: number | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        scenario: { type: 'string' },
        latency: { type: 'string' },
        'generation-delay': { type: 'string' },
        'rate-limit': { type: 'string' },
        'error-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      for (const line of usage()) output.out(line);
      return { kind: 'exit', code: 0 };
    }
    port = integerFlag('port', values.port, 0, 65_535);
    latencyMs = integerFlag('latency', values.latency, 0, 3_600_000);
    generationDelayMs = integerFlag('generation-delay', values['generation-delay'], 1000, 3_600_000);
    rateLimitRps = numberFlag('rate-limit', values['rate-limit'], 0.001, 100_000);
    errorRate = numberFlag('error-rate', values['error-rate'], 0, 1);
    const name = values.scenario ?? 'healthy';
    if (!isScenarioName(name))
      throw new RangeError(`--scenario must be one of ${SCENARIOS.join(', ')}; got "${name}"`);
    scenario = name;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.err(`simulator: ${message.split('\n')[0] ?? message} (see --help)`);
    return { kind: 'exit', code: EXIT_USAGE };
  }

  let simulator: Simulator;
  try {
    simulator = await startSimulator({
      port,
      scenario,
      latencyMs,
      generationDelayMs,
      ...(rateLimitRps === undefined ? {} : { rateLimitRps }),
      ...(errorRate === undefined ? {} : { errorRate }),
    });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    output.err(
      code === 'EADDRINUSE'
        ? `simulator: port ${port} is already in use`
        : `simulator: could not start (${code || 'error'})`,
    );
    return { kind: 'exit', code: 1 };
  }

  const { baseUrl, apiKey, managementKey } = simulator;
  for (const line of [
    `OpenRouter simulator listening on ${baseUrl} (scenario: ${scenario}${latencyMs > 0 ? `, latency ${latencyMs} ms` : ''}${rateLimitRps === undefined ? '' : `, rate limit ${rateLimitRps}/s`}${errorRate === undefined ? '' : `, error rate ${errorRate}`})`,
    '',
    `  base URL        ${baseUrl}`,
    `  API key         ${apiKey}`,
    `  management key  ${managementKey}`,
    '',
    'These keys are fake and work only against this simulator.',
    '',
    'Audit it:',
    `  OPENROUTER_BASE_URL=${baseUrl} OPENROUTER_API_KEY=${apiKey} npm run audit`,
    `  OPENROUTER_BASE_URL=${baseUrl} OPENROUTER_API_KEY=${apiKey} OPENROUTER_MANAGEMENT_KEY=${managementKey} npm run audit`,
    '',
    'Press Ctrl+C to stop.',
  ]) {
    output.out(line);
  }
  return { kind: 'running', simulator };
}
