// zod/mini: the same validator as zod at 12 KB instead of 450 KB in the Lambda bundle. It loads no
// locale, so every message a user sees is written here (describeIssue).
import * as z from 'zod/mini';
import { insightConfigFields, muteProblems } from './config-insights';

/**
 * The audit configuration: one schema for the CLI (`--config FILE`), the Lambda (its
 * `AUDIT_CONFIG` environment variable) and the CDK construct (validated at synth time).
 * Field names and defaults are a public contract.
 */
export const MAX_MODELS = 3;
/** OpenRouter model ids are some tens of characters (`anthropic/claude-3.5-sonnet:beta`). */
export const MAX_MODEL_ID_CHARS = 128;
/** Problems listed in one error line; the rest are counted. */
const MAX_PROBLEMS_LISTED = 10;
/** Unknown field names quoted in one problem; the rest are counted. */
const MAX_UNKNOWN_FIELDS_LISTED = 3;

/**
 * Model ids as users write them: `author/slug`, with a variant suffix (`:free`, `:nitro`,
 * `:thinking`, …), a `~author/family-latest` alias, or a router such as `openrouter/auto`.
 */
const modelId = z.string().check(
  z.maxLength(MAX_MODEL_ID_CHARS, {
    error: `must be an OpenRouter model id of at most ${MAX_MODEL_ID_CHARS} characters`,
    abort: true,
  }),
  z.regex(/^~?[a-z0-9][a-z0-9._-]*\/[a-zA-Z0-9][a-zA-Z0-9._~-]*(:[a-z0-9][a-z0-9-]*)?$/, {
    error: 'must be an OpenRouter model id such as "openai/gpt-4o-mini"',
  }),
);

const intBetween = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const numberBetween = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));

const auditConfigFields = z.strictObject({
  /** Models to verify; the first is the primary, the rest are fallbacks. @default ["openai/gpt-4o-mini"] */
  models: z._default(
    z.array(modelId).check(
      z.minLength(1, { error: 'must list at least 1 model' }),
      z.maxLength(MAX_MODELS, {
        error: `must list at most ${MAX_MODELS} models (OpenRouter's fallback limit)`,
      }),
      z.refine((ids: readonly string[]) => new Set(ids).size === ids.length, {
        error: 'must not list the same model twice',
      }),
    ),
    ['openai/gpt-4o-mini'],
  ),
  /** Send one real completion per model. @default true */
  probe: z._default(z.boolean(), true),
  /**
   * `max_tokens` of each probe request (keeps its cost negligible). 16 because OpenAI and Azure
   * endpoints refuse fewer with HTTP 400 ("Expected a value >= 16"); a provider that wants more
   * (up to 64) gets one retry at its minimum, reported as a note. @default 16
   */
  probeMaxTokens: z._default(intBetween(1, 4096), 16),
  /** Fail the `credits` check below this many USD. @default 10 */
  minCreditsUsd: z._default(numberBetween(0, 1_000_000), 10),
  /** Warn when the credits last fewer days than this at the recent spend rate. @default 7 */
  minRunwayDays: z._default(numberBetween(0, 3650), 7),
  /** Fail (rather than warn) when the key has no credit limit. @default true */
  requireKeyLimit: z._default(z.boolean(), true),
  /** Fail when a key is older than this many days. @default 90 */
  maxKeyAgeDays: z._default(intBetween(1, 3650), 90),
  /** Warn when a key is older than this many days. @default 75 */
  keyAgeWarnDays: z._default(intBetween(1, 3650), 75),
  /** Warn when a key expires within this many days. @default 14 */
  keyExpiryWarnDays: z._default(intBetween(0, 3650), 14),
  /** Warn when a model is retired within this many days. @default 30 */
  modelExpiryWarnDays: z._default(intBetween(0, 3650), 30),
  /** Today's spend budget in USD; `null` skips the `spend` check. @default null */
  dailyBudgetUsd: z._default(z.nullable(z.number().check(z.gt(0), z.lte(1_000_000))), null),
  /** Warn when a probe takes longer than this. @default 10000 */
  maxLatencyMs: z._default(intBetween(1, 600_000), 10_000),
  ...insightConfigFields,
});

/** The names of every config field, for messages and for the CDK construct's context lookup. */
export const AUDIT_CONFIG_FIELDS = Object.keys(
  auditConfigFields.shape,
) as readonly (keyof typeof auditConfigFields.shape)[];

export const auditConfigSchema = auditConfigFields.check(
  z.refine((c) => c.keyAgeWarnDays <= c.maxKeyAgeDays, {
    path: ['keyAgeWarnDays'],
    error: 'must not be greater than maxKeyAgeDays',
  }),
);

export type AuditConfig = Readonly<z.output<typeof auditConfigSchema>>;
export type AuditConfigInput = z.input<typeof auditConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    message: string,
    /** One line per problem, each naming the field. */
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Fields that also accept `null` (named in a wrong-type message, so the user sees every choice). */
const NULLABLE_FIELDS: ReadonlySet<string> = new Set(
  AUDIT_CONFIG_FIELDS.filter((field) => auditConfigFields.shape[field].safeParse(null).success),
);

/** A path segment from the input, cut to 40 characters. */
const clipName = (name: string): string => (name.length > 40 ? `${name.slice(0, 39)}…` : name);

/** A name from the input, as a message quotes it: escaped, one line, at most 40 characters. */
function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 39)}…` : name);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field =
    issue.path.length > 0
      ? issue.path.map((p) => (typeof p === 'string' ? clipName(p) : String(p))).join('.')
      : '(config)';
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.slice(0, MAX_UNKNOWN_FIELDS_LISTED).map(quoteName).join(', ');
    const more = issue.keys.length - MAX_UNKNOWN_FIELDS_LISTED;
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${shown}${more > 0 ? ` … and ${more.toLocaleString('en-US')} more` : ''}; allowed: ${AUDIT_CONFIG_FIELDS.join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    const expected =
      issue.expected === 'int'
        ? 'an integer'
        : /^[aeiou]/.test(issue.expected)
          ? `an ${issue.expected}`
          : `a ${issue.expected}`;
    return `${field}: must be ${expected}${NULLABLE_FIELDS.has(field) ? ' or null' : ''}`;
  }
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    if (issue.origin === 'number') {
      const op =
        issue.code === 'too_big'
          ? issue.inclusive
            ? 'at most'
            : 'less than'
          : issue.inclusive
            ? 'at least'
            : 'more than';
      return `${field}: must be ${op} ${String(issue.code === 'too_big' ? issue.maximum : issue.minimum)}`;
    }
  }
  return `${field}: ${issue.message}`;
}

/** Validates raw input (parsed JSON, CDK context) and fills defaults; throws ConfigError naming each bad field. */
export function parseAuditConfig(input: unknown, source = 'config', now: Date = new Date()): AuditConfig {
  const result = auditConfigSchema.safeParse(input === undefined ? {} : input);
  if (result.success) {
    const tooLong = muteProblems(result.data.mute, now);
    if (tooLong.length > 0) throw new ConfigError(`invalid ${source}: ${tooLong.join('; ')}`, tooLong);
    return Object.freeze(result.data);
  }
  // A value of the wrong type also fails the field's other rules (a string has a length, so it
  // is "more than 3 models"): report only the type, which is the real mistake.
  const key = (issue: z.core.$ZodIssue) => issue.path.join('.');
  const mistyped = new Set(result.error.issues.filter((i) => i.code === 'invalid_type').map(key));
  const all = result.error.issues
    .filter((issue) => issue.code === 'invalid_type' || !mistyped.has(key(issue)))
    .map(describeIssue);
  // Thousands of bad entries must not make a 74,000-character error line.
  const problems =
    all.length <= MAX_PROBLEMS_LISTED
      ? all
      : [
          ...all.slice(0, MAX_PROBLEMS_LISTED),
          `… and ${(all.length - MAX_PROBLEMS_LISTED).toLocaleString('en-US')} more problems`,
        ];
  throw new ConfigError(`invalid ${source}: ${problems.join('; ')}`, problems);
}

export const DEFAULT_CONFIG: AuditConfig = parseAuditConfig({});
