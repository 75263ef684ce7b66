/**
 * The local OpenRouter simulator's programmatic interface: tests, benchmarks, the CLI's
 * `--simulate` and users' own test suites drive it through these types.
 */

/** Named states of a whole account, each making one check fail (or, for `healthy`, none). */
export const SCENARIOS = [
  'healthy',
  'no-key-limit',
  'low-credits',
  'old-key',
  'key-expiring',
  'model-missing',
  'model-retiring',
  'provider-down',
  'rate-limited',
  'payment-required',
  'invalid-key',
  'over-budget',
  'management-key-as-api-key',
  'unlimited-keys',
  'second-workspace-keys',
  'key-in-second-workspace',
  'no-workspaces-api',
  'guardrail-budget',
  'guardrail-budget-reported',
  'workspace-budget',
  'guardrail-budget-spent',
  'workspace-budget-exceeded',
  'key-limit-exceeded',
  'in-flight-402',
  'provider-minimum-tokens',
  'model-deprecated',
  'region-restricted',
  'privacy-restricted',
  'free-variant-ended',
  'constraint-filtered',
  'no-endpoints',
  'byok-spend',
  'garbage-key-figures',
  'absurd-key-figures',
  'future-created-key',
  'duplicated-key-pages',
  'endpoints-down',
  'single-provider',
  'low-uptime',
  'spend-spike',
  'key-over-budget',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Routes faults can be injected on (paths relative to `/api/v1`). */
export const ROUTES = [
  'key',
  'credits',
  'keys',
  'models',
  'endpoints',
  'chat',
  'generation',
  'workspaces',
  'guardrails',
  'activity',
] as const;
export type RouteName = (typeof ROUTES)[number];

/**
 * One injected misbehaviour of a route. `times` limits it to the next N matching requests
 * (default: every request until cleared); `model` limits a `chat` fault to requests for that model.
 */
export type Fault = (
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Accepts the request and never sends headers. */
  | { readonly kind: 'hang' }
  /** Sends 200 headers and part of a body, then stalls forever. */
  | { readonly kind: 'stall-mid-body' }
  /** Destroys the socket without answering. */
  | { readonly kind: 'reset' }
  /** An HTML error page (Cloudflare style) with the given status. */
  | { readonly kind: 'html'; readonly status: number }
  /** 200 with a body that is not valid JSON. */
  | { readonly kind: 'malformed-json' }
  /** 200 with an empty body. */
  | { readonly kind: 'empty-body' }
  /** 200 with `{"error": {...}}` and no data/choices, as OpenRouter does after processing started. */
  | { readonly kind: 'error-in-200'; readonly code?: number; readonly message?: string }
  /** 200 with a JSON body of this many bytes (padding inside a valid document). */
  | { readonly kind: 'huge-body'; readonly bytes: number }
  /** 200 with exactly this JSON value as the body (wrong shapes, nulls, strings for numbers…). */
  | { readonly kind: 'json'; readonly body: unknown; readonly status?: number }
  /** The normal answer, preceded by blank-line keep-alive padding. */
  | { readonly kind: 'leading-whitespace' }
  /** An error whose message repeats the caller's Authorization header (for key-secrecy tests). */
  | { readonly kind: 'echo-key'; readonly status: number }
) & {
  readonly times?: number;
  readonly model?: string;
  /**
   * Limits the fault to requests made with the configured API key or the management key (the audit
   * sends GET /key with both at once).
   */
  readonly key?: 'api' | 'management';
  /** Extra latency before this fault's answer. */
  readonly latencyMs?: number;
};

export interface SimulatorOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Only loopback addresses are accepted. @default "127.0.0.1" */
  readonly host?: string;
  /** @default "healthy" */
  readonly scenario?: ScenarioName;
  /** Latency added to every request before it is answered. @default 0 */
  readonly latencyMs?: number;
  /** The API key the simulator accepts. @default a fixed, obviously fake key built at run time */
  readonly apiKey?: string;
  /** The management key the simulator accepts. @default a second fixed fake key */
  readonly managementKey?: string;
  /** How long `/generation` answers 404 after a completion. @default 1000 */
  readonly generationDelayMs?: number;
  /** Extra keys in the account besides the API key (for large-account tests). @default 4 */
  readonly extraKeys?: number;
  /**
   * Further keys that are disabled: listed by `/keys` only with `include_disabled=true`.
   * None by default, so that the healthy account has nothing for an audit to flag. @default 0
   */
  readonly disabledKeys?: number;
  /** `/credits` called with a regular key: `403` (documented) or `zeros` (200 with zeros, seen live). @default "403" */
  readonly creditsWithRegularKey?: '403' | 'zeros';
  /** The simulator's clock (dates in its data are relative to it). @default () => new Date() */
  readonly now?: () => Date;
  /** Completions admitted per second; past it, 429 with Retry-After. @default null (no limit) */
  readonly rateLimitRps?: number | null;
  /** Share (0–1) of completion attempts whose provider fails with 502; `models` fallbacks are tried. @default 0 */
  readonly errorRate?: number;
  /** The random source of `errorRate`, in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:41234/api/v1` */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly managementKey: string;
  setScenario(name: ScenarioName): void;
  setLatency(ms: number): void;
  injectFault(route: RouteName, fault: Fault): void;
  clearFaults(): void;
  /** Requests received per route since start (or the last resetCounts), faults included. */
  requestCount(route: RouteName): number;
  resetCounts(): void;
  close(): Promise<void>;
}
