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
import { ObjectReader, requireArray, ShapeError } from './json-readers';
import type { ChatCompletion, Credits, CurrentKey, KeyInfo, ModelInfo } from './types';

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
      throw badResponse(ctx, 'a body that is not valid JSON');
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

/** `GET /key` → `data`. */
export function readCurrentKey(body: unknown): CurrentKey {
  const data = ObjectReader.of(ObjectReader.of(body, '').raw('data'), 'data');
  return {
    label: data.string('label'),
    limit: data.optNumber('limit'),
    limitRemaining: data.optNumber('limit_remaining'),
    limitReset: data.optString('limit_reset'),
    includeByokInLimit: data.optBoolean('include_byok_in_limit'),
    usage: data.optNumber('usage'),
    usageDaily: data.optNumber('usage_daily'),
    usageWeekly: data.optNumber('usage_weekly'),
    usageMonthly: data.optNumber('usage_monthly'),
    isFreeTier: data.optBoolean('is_free_tier'),
    // The deprecated alias carries the same value; servers older than the rename send only it.
    isManagementKey: data.optBoolean('is_management_key') ?? data.optBoolean('is_provisioning_key') ?? false,
    expiresAt: data.optString('expires_at'),
  };
}

/** `GET /credits` → `data`. Both figures are required; a negative balance is data, not an error. */
export function readCredits(body: unknown): Credits {
  const data = ObjectReader.of(ObjectReader.of(body, '').raw('data'), 'data');
  return { totalCredits: data.number('total_credits'), totalUsage: data.number('total_usage') };
}

function readKeyInfo(value: unknown, path: string): KeyInfo {
  const key = ObjectReader.of(value, path);
  return {
    hash: key.string('hash'),
    name: key.string('name'),
    label: key.string('label'),
    disabled: key.boolean('disabled'),
    limit: key.optNumber('limit'),
    limitRemaining: key.optNumber('limit_remaining'),
    limitReset: key.optString('limit_reset'),
    includeByokInLimit: key.optBoolean('include_byok_in_limit'),
    usage: key.optNumber('usage'),
    usageDaily: key.optNumber('usage_daily'),
    usageWeekly: key.optNumber('usage_weekly'),
    usageMonthly: key.optNumber('usage_monthly'),
    createdAt: key.optString('created_at'),
    updatedAt: key.optString('updated_at'),
    expiresAt: key.optString('expires_at'),
  };
}

/** One page of `GET /keys` → `data[]`. */
export function readKeysPage(body: unknown): KeyInfo[] {
  const data = requireArray(ObjectReader.of(body, '').raw('data'), 'data');
  return data.map((item, i) => readKeyInfo(item, `data[${i}]`));
}

/** A price in USD per token; OpenRouter uses negative values for "variable or unknown". */
function price(value: number | null): number | null {
  return value !== null && value >= 0 ? value : null;
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
      promptPrice: price(pricing?.optNumber('prompt') ?? null),
      completionPrice: price(pricing?.optNumber('completion') ?? null),
      ...(aliasTarget ? { aliasTarget } : {}),
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
