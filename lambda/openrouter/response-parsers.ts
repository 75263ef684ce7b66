/**
 * Tolerant parsing of OpenRouter response bodies into the camelCase types of ./types.ts.
 * Missing or null optional fields read as null and numbers may come as strings; a required field
 * of the wrong type, a body that is not JSON, and an `error` inside an HTTP 200 each become an
 * OpenRouterError with a message that says which. The `parse…Body` functions take the raw text,
 * exactly as the client does, so the example bodies of openrouter-api.md can be checked directly.
 */
import { type Redactor, shapeRedactor } from '../engine/redact';
import { type ApiErrorInfo, readApiError, readErrorObject, sanitizeApiText } from './api-error';
import { decodeBodyText } from './body-text';
import { OpenRouterError } from './errors';
import { checkRemainderWithinLimit, type FieldProblem, FieldValidator } from './field-checks';
import { isJsonObject, ObjectReader, requireArray, requireObject, ShapeError } from './json-readers';
import type {
  ChatCompletion,
  Credits,
  CurrentKey,
  GuardrailInfo,
  GuardrailKeyAssignment,
  KeyBudget,
  KeyInfo,
  ModelInfo,
  WorkspaceBudgets,
  WorkspaceInfo,
} from './types';

/** Where a body came from, for error messages and redaction. */
export interface ParseContext {
  /** The endpoint path, e.g. `/key`. */
  readonly endpoint: string;
  readonly status: number;
  readonly redactor: Redactor;
}

function apiDetails(info: ApiErrorInfo | null) {
  return {
    apiMessage: info?.message ?? undefined,
    apiErrorType: info?.errorType ?? undefined,
    apiCode: info?.code ?? undefined,
    limitSource: info?.limitSource ?? undefined,
    availabilityCode: info?.availabilityCode ?? undefined,
    fallbackModels: info && info.fallbackModels.length > 0 ? info.fallbackModels : undefined,
    minimumTokens: info?.minimumTokens ?? undefined,
  };
}

function errorIn200(ctx: ParseContext, info: ApiErrorInfo | null, what: string): OpenRouterError {
  return new OpenRouterError(
    'API_ERROR_IN_200',
    `OpenRouter answered HTTP ${ctx.status} ${what} on ${ctx.endpoint}`,
    {
      status: ctx.status,
      endpoint: ctx.endpoint,
      ...apiDetails(info),
    },
  );
}

function badResponse(ctx: ParseContext, what: string): OpenRouterError {
  return new OpenRouterError(
    'BAD_RESPONSE',
    `OpenRouter sent ${what} (HTTP ${ctx.status}) on ${ctx.endpoint}`,
    {
      status: ctx.status,
      endpoint: ctx.endpoint,
    },
  );
}

/**
 * The JSON document of a 2xx body. Rejects empty, HTML and non-JSON bodies (BAD_RESPONSE; the
 * JSON.parse error is dropped on purpose, as its message quotes the body) and a top-level `error`
 * (API_ERROR_IN_200).
 */
export function decodeSuccessBody(text: string, ctx: ParseContext): unknown {
  const decoded = decodeBodyText(text);
  switch (decoded.kind) {
    case 'empty':
      throw badResponse(ctx, 'an empty body');
    case 'html':
      throw badResponse(ctx, 'an HTML page instead of JSON');
    case 'not-json':
      throw badResponse(
        ctx,
        decoded.refused === undefined
          ? 'a body that is not valid JSON'
          : `a body refused unparsed: ${decoded.refused}`,
      );
    case 'json': {
      const info = readApiError(decoded.value, ctx.redactor);
      if (info !== null) throw errorIn200(ctx, info, 'with an error in the body');
      return decoded.value;
    }
  }
}

/** Runs a reader, turning a ShapeError into BAD_RESPONSE naming the field. */
function readShape<T>(ctx: ParseContext, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new OpenRouterError(
        'BAD_RESPONSE',
        `OpenRouter sent an unexpected body on ${ctx.endpoint}: ${error.message}`,
        { status: ctx.status, endpoint: ctx.endpoint },
      );
    }
    throw error;
  }
}

const LIMIT_RESETS = ['daily', 'weekly', 'monthly'] as const;

/** A reader's field problems as one BAD_RESPONSE error (for answers that are read whole, like a page of keys). */
function rejectProblems(endpoint: string, problems: readonly FieldProblem[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new OpenRouterError('BAD_RESPONSE', `${first.message}${more}`, { endpoint });
}

/** One KeyBudget object (newer `/key`); null (with a problem recorded) when it is not one. */
function readKeyBudget(v: FieldValidator): KeyBudget | null {
  const scope = v.optString('scope');
  const limitUsd = v.money('limit_usd');
  const spendUsd = v.money('spend_usd');
  // remaining = limit - spend, so it goes below zero once a layer is overspent.
  const remainingUsd = checkRemainderWithinLimit(
    v,
    limitUsd,
    v.money('remaining_usd', { signed: true }),
    'limit_usd',
    'remaining_usd',
  );
  const resetInterval = v.optEnum('reset_interval', LIMIT_RESETS);
  const resetsAt = v.timestamp('resets_at', false);
  if (scope === null) v.problem('scope', v.raw('scope'), 'a budget scope');
  if (scope === null || limitUsd === null || spendUsd === null || remainingUsd === null) return null;
  return {
    scope,
    limitUsd,
    spendUsd,
    remainingUsd,
    resetInterval,
    resetsAt,
    includeByok: v.optBoolean('include_byok'),
    guardrailId: v.optString('guardrail_id'),
    budgetId: v.optString('budget_id'),
  };
}

function readBudgets(v: FieldValidator): { budgets: KeyBudget[] | null; effective: KeyBudget | null } {
  const list = v.optArray('budgets');
  const budgets =
    list === null
      ? null
      : list.flatMap((item, i) => {
          if (!isJsonObject(item)) {
            v.problem(`budgets[${i}]`, item, 'a budget object');
            return [];
          }
          const budget = readKeyBudget(v.child(item, `budgets[${i}]`));
          return budget === null ? [] : [budget];
        });
  const effectiveObject = v.optObject('effective_budget');
  const effective = effectiveObject === null ? null : readKeyBudget(effectiveObject);
  return { budgets, effective };
}

/**
 * The limit reset and spend figures that `GET /key` and each `GET /keys` entry share (OpenRouter's
 * KeyData), read and checked in one place so the two can never disagree on a field.
 */
function readLimitAndSpend(v: FieldValidator) {
  return {
    limitReset: v.optEnum('limit_reset', LIMIT_RESETS),
    includeByokInLimit: v.optBoolean('include_byok_in_limit'),
    usage: v.money('usage'),
    usageDaily: v.money('usage_daily'),
    usageWeekly: v.money('usage_weekly'),
    usageMonthly: v.money('usage_monthly'),
    byokUsage: v.money('byok_usage', { optional: true }),
    byokUsageDaily: v.money('byok_usage_daily', { optional: true }),
    byokUsageWeekly: v.money('byok_usage_weekly', { optional: true }),
    byokUsageMonthly: v.money('byok_usage_monthly', { optional: true }),
  };
}
/**
 * `GET /key` → `data`. The label is required (without it nothing can be said about the key); the
 * figures are validated one by one (field-checks.ts): a bad one reads as null and is listed in
 * `problems`, so the checks that read it report `error` and the others still run.
 */
export function readCurrentKey(body: unknown): CurrentKey {
  const fields = requireObject(ObjectReader.of(body, '').raw('data'), 'data');
  const data = new ObjectReader(fields, 'data');
  const v = new FieldValidator('GET /key', fields);
  const limit = v.money('limit', { nullable: true });
  const limitRemaining = checkRemainderWithinLimit(
    v,
    limit,
    v.money('limit_remaining', { nullable: true, signed: true }),
  );
  const { budgets, effective } = readBudgets(v);
  return {
    label: data.string('label'),
    limit,
    limitRemaining,
    ...readLimitAndSpend(v),
    isFreeTier: data.optBoolean('is_free_tier'),
    // The deprecated alias carries the same value; servers older than the rename send only it.
    isManagementKey: data.optBoolean('is_management_key') ?? data.optBoolean('is_provisioning_key') ?? false,
    expiresAt: v.timestamp('expires_at', false),
    workspaceId: v.optString('workspace_id'),
    budgets,
    effectiveBudget: effective,
    problems: v.problems,
  };
}

/** `GET /credits` → `data`. Both figures are required; a negative balance is data, not an error. */
export function readCredits(body: unknown): Credits {
  const fields = requireObject(ObjectReader.of(body, '').raw('data'), 'data');
  const data = new ObjectReader(fields, 'data');
  const credits = { totalCredits: data.number('total_credits'), totalUsage: data.number('total_usage') };
  const v = new FieldValidator('GET /credits', fields);
  // Required and typed by the ObjectReader above; here only what no account can show.
  v.money('total_credits');
  v.money('total_usage');
  rejectProblems('/credits', v.problems);
  return credits;
}

function readKeyInfo(value: unknown, path: string): { key: KeyInfo; problems: readonly FieldProblem[] } {
  const key = ObjectReader.of(value, path);
  const v = new FieldValidator('GET /keys', requireObject(value, path), path);
  const limit = v.money('limit', { nullable: true });
  return {
    key: {
      hash: key.string('hash'),
      name: key.string('name'),
      label: key.string('label'),
      disabled: key.boolean('disabled'),
      limit,
      limitRemaining: checkRemainderWithinLimit(
        v,
        limit,
        v.money('limit_remaining', { nullable: true, signed: true }),
      ),
      ...readLimitAndSpend(v),
      createdAt: v.timestamp('created_at', true),
      updatedAt: v.timestamp('updated_at', false),
      expiresAt: v.timestamp('expires_at', false),
      workspaceId: v.optString('workspace_id'),
    },
    problems: v.problems,
  };
}

/**
 * One page of `GET /keys` → `data[]`. A page is read whole: any implausible figure makes the
 * page (and so the key inventory) unreadable, with the first problem as the message.
 */
export function readKeysPage(body: unknown): KeyInfo[] {
  const data = requireArray(ObjectReader.of(body, '').raw('data'), 'data');
  const read = data.map((item, i) => readKeyInfo(item, `data[${i}]`));
  rejectProblems(
    '/keys',
    read.flatMap((r) => r.problems),
  );
  return read.map((r) => r.key);
}

/**
 * A price in USD per token from a model's `pricing`. OpenRouter uses negative values for "variable
 * or unknown"; an absent or unreadable price is unknown too, so it takes the same marker.
 */
function price(pricing: ObjectReader | null, key: string): number | null {
  const value = pricing?.optNumber(key) ?? -1;
  return value >= 0 ? value : null;
}

/** `GET /models` → `data[]` (`total_count` and `links` are optional and unused). */
export function readModels(body: unknown): ModelInfo[] {
  const data = requireArray(ObjectReader.of(body, '').raw('data'), 'data');
  return data.map((item, i) => {
    const model = ObjectReader.of(item, `data[${i}]`);
    const pricing = model.optObject('pricing');
    const aliasTarget = model.optObject('alias_target')?.optString('slug');
    return {
      id: model.string('id'),
      name: model.optString('name'),
      expirationDate: model.optString('expiration_date'),
      promptPrice: price(pricing, 'prompt'),
      completionPrice: price(pricing, 'completion'),
      aliasTarget: aliasTarget ?? null,
    };
  });
}

/**
 * `POST /chat/completions`, non-streaming. A 200 without `choices`, with empty `choices`, or whose
 * first choice finished with `error` is a failed request (API_ERROR_IN_200), as OpenRouter reports
 * failures after processing started that way.
 */
export function readChatCompletion(body: unknown, ctx: ParseContext): ChatCompletion {
  const root = ObjectReader.of(body, '');
  const choices = root.raw('choices');
  if (!Array.isArray(choices) || choices.length === 0) {
    throw errorIn200(ctx, null, 'without choices');
  }
  const choice = ObjectReader.of(choices[0], 'choices[0]');
  const finishReason = choice.optString('finish_reason');
  if (finishReason === 'error') {
    throw errorIn200(ctx, readErrorObject(choice.raw('error'), ctx.redactor), 'with a choice that failed');
  }
  const usage = root.optObject('usage');
  return {
    id: root.optString('id'),
    model: root.optString('model'),
    provider: root.optString('provider'),
    content: choice.optObject('message')?.optString('content') ?? null,
    finishReason,
    costUsd: usage?.optNumber('cost') ?? null,
    promptTokens: usage?.optNumber('prompt_tokens') ?? null,
    completionTokens: usage?.optNumber('completion_tokens') ?? null,
  };
}

/** What a non-2xx answer said: the error to throw and the envelope the retry policy reads. */
export interface StatusFailure {
  readonly error: OpenRouterError;
  readonly apiError: ApiErrorInfo | null;
}

/** Builds the HTTP_STATUS error for a non-2xx answer, whatever its body (JSON, HTML, text or nothing). */
export function describeStatusFailure(text: string, ctx: ParseContext): StatusFailure {
  const decoded = decodeBodyText(text);
  const base = `OpenRouter answered HTTP ${ctx.status} on ${ctx.endpoint}`;
  const details = { status: ctx.status, endpoint: ctx.endpoint };
  switch (decoded.kind) {
    case 'json': {
      const apiError = readApiError(decoded.value, ctx.redactor);
      return {
        error: new OpenRouterError('HTTP_STATUS', base, { ...details, ...apiDetails(apiError) }),
        apiError,
      };
    }
    case 'html': {
      const apiMessage = decoded.title === null ? undefined : sanitizeApiText(decoded.title, ctx.redactor);
      return {
        error: new OpenRouterError('HTTP_STATUS', `${base}: received an HTML page instead of JSON`, {
          ...details,
          apiMessage,
        }),
        apiError: null,
      };
    }
    case 'not-json':
      return {
        error: new OpenRouterError('HTTP_STATUS', base, {
          ...details,
          apiMessage: sanitizeApiText(decoded.text, ctx.redactor),
        }),
        apiError: null,
      };
    case 'empty':
      return { error: new OpenRouterError('HTTP_STATUS', base, details), apiError: null };
  }
}

/**
 * A 2xx body through the whole pipeline: decode, reject an error in a 200, then read it with
 * `read`, whose ShapeError becomes BAD_RESPONSE naming the field.
 */
export function parseSuccessBody<T>(
  text: string,
  ctx: ParseContext,
  read: (body: unknown, ctx: ParseContext) => T,
): T {
  const body = decodeSuccessBody(text, ctx);
  return readShape(ctx, () => read(body, ctx));
}

function okContext(endpoint: string, redactor: Redactor): ParseContext {
  return { endpoint, status: 200, redactor };
}

/** Parses a 200 body of `GET /key`. */
export function parseCurrentKeyBody(text: string, redactor: Redactor = shapeRedactor): CurrentKey {
  return parseSuccessBody(text, okContext('/key', redactor), readCurrentKey);
}

/** Parses a 200 body of `GET /credits`. */
export function parseCreditsBody(text: string, redactor: Redactor = shapeRedactor): Credits {
  return parseSuccessBody(text, okContext('/credits', redactor), readCredits);
}

/** Parses a 200 body of one `GET /keys` page. */
export function parseKeysPageBody(text: string, redactor: Redactor = shapeRedactor): KeyInfo[] {
  return parseSuccessBody(text, okContext('/keys', redactor), readKeysPage);
}

/** Parses a 200 body of `GET /models`. */
export function parseModelsBody(text: string, redactor: Redactor = shapeRedactor): ModelInfo[] {
  return parseSuccessBody(text, okContext('/models', redactor), readModels);
}

/** Parses a 200 body of `POST /chat/completions`. */
export function parseChatCompletionBody(text: string, redactor: Redactor = shapeRedactor): ChatCompletion {
  const ctx = okContext('/chat/completions', redactor);
  return parseSuccessBody(text, ctx, readChatCompletion);
}

/** Parses a non-2xx body into the error the client would throw (before retries). */
export function parseErrorBody(
  status: number,
  endpoint: string,
  text: string,
  redactor: Redactor = shapeRedactor,
): StatusFailure {
  return describeStatusFailure(text, { endpoint, status, redactor });
}

/** One page of `GET /workspaces`: the workspaces and the total the server counts. */
export interface WorkspacesPage {
  readonly workspaces: readonly WorkspaceInfo[];
  readonly totalCount: number | null;
}

/** `GET /workspaces` → `{data: Workspace[], total_count}`; only the fields the audit reads. */
/**
 * A list's `total_count`, which decides when paging stops: absent is unknown (null); a value that
 * is no count of 0 or more refuses the page, naming endpoint and field, as any other bad field.
 */
function readTotalCount(root: ObjectReader, endpoint: string): number | null {
  const total = root.optNumber('total_count');
  if (total !== null && (!Number.isInteger(total) || total < 0)) {
    throw new OpenRouterError(
      'BAD_RESPONSE',
      `GET ${endpoint}: total_count is ${total}, expected a count of 0 or more`,
      { endpoint },
    );
  }
  return total;
}

export function readWorkspacesPage(body: unknown): WorkspacesPage {
  const root = ObjectReader.of(body, '');
  const data = requireArray(root.raw('data'), 'data');
  const total = readTotalCount(root, '/workspaces');
  return {
    totalCount: total,
    workspaces: data.map((item, i) => {
      const w = ObjectReader.of(item, `data[${i}]`);
      return {
        id: w.string('id'),
        name: w.optString('name') ?? w.string('id'),
        slug: w.optString('slug'),
        defaultGuardrailId: w.optString('default_guardrail_id'),
      };
    }),
  };
}

/** A `{data: T[], total_count}` page of a management list. */
export interface CountedPage<T> {
  readonly items: readonly T[];
  readonly totalCount: number | null;
}

function countedPage<T>(
  body: unknown,
  endpoint: string,
  readItem: (v: FieldValidator, item: ObjectReader) => T,
): CountedPage<T> {
  const root = ObjectReader.of(body, '');
  const data = requireArray(root.raw('data'), 'data');
  const problems: FieldProblem[] = [];
  const items = data.map((item, i) => {
    const path = `data[${i}]`;
    return readItem(
      new FieldValidator(`GET ${endpoint}`, requireObject(item, path), path, problems),
      ObjectReader.of(item, path),
    );
  });
  rejectProblems(endpoint, problems);
  return { items, totalCount: readTotalCount(root, endpoint) };
}

/** A page of `GET /guardrails`. */
export function readGuardrailsPage(body: unknown): CountedPage<GuardrailInfo> {
  return countedPage(body, '/guardrails', (v, g) => ({
    id: g.string('id'),
    name: g.optString('name') ?? g.string('id'),
    limitUsd: v.money('limit_usd', { nullable: true, optional: true }),
    resetInterval: v.optEnum('reset_interval', LIMIT_RESETS),
    includeByokInBudgets: v.optBoolean('include_byok_in_budgets'),
    workspaceId: v.optString('workspace_id'),
  }));
}

/** A page of `GET /guardrails/assignments/keys`. */
export function readKeyAssignmentsPage(body: unknown): CountedPage<GuardrailKeyAssignment> {
  return countedPage(body, '/guardrails/assignments/keys', (_v, a) => ({
    keyHash: a.string('key_hash'),
    guardrailId: a.string('guardrail_id'),
  }));
}

/** `GET /workspaces/{id}/budgets`: a lifetime budget reads back with `reset_interval: null`. */
export function readWorkspaceBudgets(body: unknown): WorkspaceBudgets {
  const root = requireObject(body, '');
  const page = countedPage(body, '/workspaces/{id}/budgets', (v) => ({
    limitUsd: v.money('limit_usd'),
    resetInterval: v.optEnum('reset_interval', LIMIT_RESETS),
  }));
  // The BYOK flag decides whether BYOK spend counts against these budgets: checked as the
  // guardrails' own flag is, never read as "unknown" when it is malformed.
  const problems: FieldProblem[] = [];
  const includeByokInBudgets = new FieldValidator(
    'GET /workspaces/{id}/budgets',
    root,
    '',
    problems,
  ).optBoolean('include_byok_in_budgets');
  rejectProblems('/workspaces/{id}/budgets', problems);
  return {
    budgets: page.items.flatMap((b) =>
      b.limitUsd === null ? [] : [{ limitUsd: b.limitUsd, resetInterval: b.resetInterval }],
    ),
    includeByokInBudgets,
  };
}
