/**
 * The OpenRouter client on undici: the only code that talks to OpenRouter (or to the local
 * simulator, which differs only by base URL). Keys live in this closure and nowhere else: they go
 * into the Authorization header and are registered with a Redactor that cleans every API message
 * and log field, since an API may echo a key back.
 */
import type { Dispatcher } from 'undici';
import { silentLogger } from '../engine/logger';
import { Redactor } from '../engine/redact';
import { Agent } from '../http/undici';
import { resolveBaseUrl } from './base-url';
import {
  DEFAULT_APP_TITLE,
  DEFAULT_REFERER,
  normalizeKey,
  type OpenRouterClientOptions,
  type ResolvedTimeouts,
  resolveTimeouts,
} from './client-options';
import { OpenRouterError, withErrorDetails } from './errors';
import { readActivity, readModelEndpoints } from './insight-parsers';
import { listKeyInventory } from './key-inventory';
import { listKeyPages } from './key-pages';
import {
  type CountedPage,
  describeStatusFailure,
  type ParseContext,
  parseSuccessBody,
  readChatCompletion,
  readCredits,
  readCurrentKey,
  readGuardrailsPage,
  readKeyAssignmentsPage,
  readKeysPage,
  readModels,
  readWorkspaceBudgets,
  readWorkspacesPage,
} from './response-parsers';
import {
  type AttemptOutcome,
  deadlineError,
  isRetryableFailure,
  judgeStatus,
  type RequestSafety,
  resolveRetrySettings,
  runWithRetries,
} from './retry-policy';
import { sendOnce, summarizeForeignError, TransportFailure } from './transport';
import type {
  ChatRequest,
  KeyInfo,
  KeyInventory,
  OpenRouterApi,
  RequestOptions,
  WorkspaceInfo,
} from './types';

export type { OpenRouterClientOptions } from './client-options';

/** `GET /keys` returns at most this many keys per page. */
export const KEYS_PAGE_SIZE = 100;
/** A server that keeps sending full pages is cut off here (100 000 keys). */
export const MAX_KEY_PAGES = 1000;
/**
 * At most this many `/keys` pages are requested at once (the window doubles from 1 up to it):
 * 10,000 keys take about 15 round trips instead of 101, and OpenRouter never sees a burst.
 */
export const MAX_KEY_PAGES_IN_FLIGHT = 8;
/** `GET /workspaces` pages at most 100 (its documented `limit` maximum). */
export const WORKSPACES_PAGE_SIZE = 100;
/** A server that keeps sending full workspace pages is cut off here (10 000 workspaces). */
export const MAX_WORKSPACE_PAGES = 100;

/** The client, plus a way to release its connections. */
export interface OpenRouterClient extends OpenRouterApi {
  /** Closes the client's own Agent (not a dispatcher passed in). Idempotent. */
  close(): Promise<void>;
}

type KeyKind = 'api' | 'management' | 'none';

interface CallSpec<T> {
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/key`; also the `endpoint` of errors. */
  readonly endpoint: string;
  readonly query?: string;
  readonly key: KeyKind;
  readonly body?: unknown;
  readonly read: (body: unknown, ctx: ParseContext) => T;
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function failureError(failure: TransportFailure, endpoint: string, maxBytes: number): OpenRouterError {
  const details = { endpoint, cause: failure.foreign === null ? undefined : { ...failure.foreign } };
  switch (failure.kind) {
    case 'aborted':
      return deadlineError(endpoint, 0);
    case 'connect-timeout':
      return new OpenRouterError('TIMEOUT', `Connecting to OpenRouter for ${endpoint} timed out`, details);
    case 'headers-timeout':
      return new OpenRouterError('TIMEOUT', `OpenRouter did not answer ${endpoint} in time`, details);
    case 'body-timeout':
      return new OpenRouterError('TIMEOUT', `OpenRouter's answer to ${endpoint} stalled mid-body`, details);
    case 'too-large':
      return new OpenRouterError(
        'RESPONSE_TOO_LARGE',
        `OpenRouter's answer to ${endpoint} exceeded the ${maxBytes}-byte cap`,
        details,
      );
    case 'connect-refused':
      return new OpenRouterError('NETWORK', `Could not connect to OpenRouter for ${endpoint}`, details);
    case 'reset-before-response':
    case 'reset-mid-body':
      return new OpenRouterError(
        'NETWORK',
        `The connection to OpenRouter dropped during ${endpoint}`,
        details,
      );
    case 'network-other':
      return new OpenRouterError('NETWORK', `Network error calling OpenRouter ${endpoint}`, details);
  }
}

/** The caller's dispatcher, or an Agent of our own (which `close()` will close). */
function pickDispatcher(
  given: Dispatcher | undefined,
  timeouts: ResolvedTimeouts,
): { dispatcher: Dispatcher; ownAgent: Agent | null } {
  if (given !== undefined) return { dispatcher: given, ownAgent: null };
  const agent = new Agent({
    connect: { timeout: timeouts.connectTimeoutMs },
    headersTimeout: timeouts.headersTimeoutMs,
    bodyTimeout: timeouts.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
  return { dispatcher: agent, ownAgent: agent };
}

/**
 * Builds a client. Throws OpenRouterError(`INSECURE_BASE_URL`) for a refused base URL; creates its
 * Agent here (not at import), so build one client per process and reuse it.
 */
export function createOpenRouterClient(options: OpenRouterClientOptions = {}): OpenRouterClient {
  const base = resolveBaseUrl(options.baseUrl);
  const timeouts = resolveTimeouts(options);
  const retry = resolveRetrySettings(options.retry);
  const logger = options.logger ?? silentLogger;
  const apiKey = normalizeKey(options.apiKey);
  const managementKey = normalizeKey(options.managementKey);
  const redactor = new Redactor().add(apiKey).add(managementKey);
  const { dispatcher, ownAgent } = pickDispatcher(options.dispatcher, timeouts);
  const commonHeaders: Readonly<Record<string, string>> = {
    accept: 'application/json',
    'user-agent': DEFAULT_APP_TITLE,
    'x-openrouter-title': headerSafe(options.appTitle ?? DEFAULT_APP_TITLE),
    'http-referer': headerSafe(options.referer ?? DEFAULT_REFERER),
  };
  let closed = false;

  const log = (level: 'debug' | 'warn', message: string, fields: Record<string, unknown>) =>
    logger[level](redactor.redact(message), redactor.redactDeep(fields));

  function keyFor(kind: KeyKind, endpoint: string): string | undefined {
    if (kind === 'none') return undefined;
    const key = kind === 'api' ? apiKey : managementKey;
    if (key === undefined) {
      const which = kind === 'api' ? 'an API key' : 'a management key';
      throw new OpenRouterError('MISSING_KEY', `${endpoint} needs ${which}, and none was given`, {
        endpoint,
      });
    }
    return key;
  }

  async function call<T>(spec: CallSpec<T>, requestOptions: RequestOptions = {}): Promise<T> {
    const key = keyFor(spec.key, spec.endpoint);
    const safety: RequestSafety = spec.method === 'GET' ? 'idempotent' : 'billable';
    const headers: Record<string, string> = { ...commonHeaders };
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const path = `${base.pathPrefix}${spec.endpoint}${spec.query ? `?${spec.query}` : ''}`;
    const deadlineAtMs = requestOptions.deadlineAt ?? null;
    const { signal } = requestOptions;
    const started = Date.now();

    const attempt = async (attemptNumber: number): Promise<AttemptOutcome<T>> => {
      let response: Awaited<ReturnType<typeof sendOnce>>;
      try {
        response = await sendOnce(dispatcher, {
          method: spec.method,
          origin: base.origin,
          path,
          headers,
          body,
          signal,
          headersTimeoutMs: timeouts.headersTimeoutMs,
          bodyTimeoutMs: timeouts.bodyTimeoutMs,
          maxResponseBytes: timeouts.maxResponseBytes,
        });
      } catch (error) {
        const failure =
          error instanceof TransportFailure
            ? error
            : new TransportFailure('network-other', summarizeForeignError(error));
        return {
          ok: false,
          error: failureError(failure, spec.endpoint, timeouts.maxResponseBytes),
          retryable: isRetryableFailure(failure.kind, safety),
          hintMs: null,
        };
      }
      const ctx: ParseContext = { endpoint: spec.endpoint, status: response.status, redactor };
      if (response.status >= 200 && response.status < 300) {
        try {
          const value = parseSuccessBody(response.text, ctx, spec.read);
          log('debug', 'OpenRouter call succeeded', {
            endpoint: spec.endpoint,
            status: response.status,
            attempts: attemptNumber,
            durationMs: Date.now() - started,
          });
          return { ok: true, value };
        } catch (error) {
          if (error instanceof OpenRouterError) return { ok: false, error, retryable: false, hintMs: null };
          // A bug in a reader must not escape as a foreign error; keep only its name.
          const cause = summarizeForeignError(error);
          const wrapped = new OpenRouterError(
            'BAD_RESPONSE',
            `Could not read OpenRouter's answer to ${spec.endpoint}`,
            {
              status: response.status,
              endpoint: spec.endpoint,
              cause,
            },
          );
          return { ok: false, error: wrapped, retryable: false, hintMs: null };
        }
      }
      const { error, apiError } = describeStatusFailure(response.text, ctx);
      const verdict = judgeStatus({
        status: response.status,
        headers: response.headers,
        apiError,
        safety,
        nowMs: Date.now(),
        deadlineAtMs,
        settings: retry,
      });
      switch (verdict.kind) {
        case 'final': {
          const final =
            verdict.resetAt === null ? error : withErrorDetails(error, { resetAt: verdict.resetAt });
          return { ok: false, error: final, retryable: false, hintMs: null };
        }
        case 'retry':
          return { ok: false, error, retryable: true, hintMs: verdict.hintMs };
        case 'rate-limited-daily': {
          const limited = withErrorDetails(
            error,
            { resetAt: verdict.resetAt ?? undefined },
            'RATE_LIMITED_DAILY',
            `OpenRouter's free-model daily request cap was reached on ${spec.endpoint}`,
          );
          return { ok: false, error: limited, retryable: false, hintMs: null };
        }
      }
    };

    try {
      return await runWithRetries(attempt, {
        endpoint: spec.endpoint,
        settings: retry,
        signal,
        deadlineAtMs,
        now: Date.now,
        random: Math.random,
        onRetry: (event) => log('warn', 'OpenRouter call failed; retrying', { ...event }),
      });
    } catch (error) {
      if (error instanceof OpenRouterError) {
        log('debug', 'OpenRouter call failed', {
          endpoint: spec.endpoint,
          code: error.code,
          status: error.status,
          attempts: error.attempts,
          durationMs: Date.now() - started,
        });
        throw error;
      }
      throw new OpenRouterError('NETWORK', `Unexpected failure calling OpenRouter ${spec.endpoint}`, {
        endpoint: spec.endpoint,
        cause: summarizeForeignError(error),
      });
    }
  }

  /** Every key of one workspace (null: the default one), through the shared paging machinery. */
  async function listWorkspaceKeys(
    workspaceId: string | null,
    requestOptions?: RequestOptions,
  ): Promise<readonly KeyInfo[]> {
    const scope = workspaceId === null ? '' : `&workspace_id=${encodeURIComponent(workspaceId)}`;
    // Each page is an ordinary call: its own retries under the one retry policy, the caller's deadline.
    const fetchPage = (offset: number) =>
      call(
        {
          method: 'GET',
          endpoint: '/keys',
          query: `include_disabled=true${scope}&offset=${offset}`,
          key: 'management',
          read: readKeysPage,
        },
        requestOptions,
      );
    const keys = await listKeyPages(fetchPage, {
      pageSize: KEYS_PAGE_SIZE,
      maxPages: MAX_KEY_PAGES,
      maxInFlight: MAX_KEY_PAGES_IN_FLIGHT,
    });
    // workspace_id is required on KeyData; a server that leaves it out still answered for this workspace.
    return workspaceId === null
      ? keys
      : keys.map((k) => (k.workspaceId === null ? { ...k, workspaceId } : k));
  }

  /** `GET /workspaces`, page by page (`limit` 100, the documented maximum) until `total_count` or a short page. */
  async function listWorkspaces(requestOptions?: RequestOptions): Promise<readonly WorkspaceInfo[]> {
    const all: WorkspaceInfo[] = [];
    for (let page = 0; page < MAX_WORKSPACE_PAGES; page++) {
      const { workspaces, totalCount } = await call(
        {
          method: 'GET',
          endpoint: '/workspaces',
          query: `offset=${page * WORKSPACES_PAGE_SIZE}&limit=${WORKSPACES_PAGE_SIZE}`,
          key: 'management',
          read: readWorkspacesPage,
        },
        requestOptions,
      );
      all.push(...workspaces);
      const done =
        workspaces.length < WORKSPACES_PAGE_SIZE || (totalCount !== null && all.length >= totalCount);
      if (done) return all;
    }
    throw new OpenRouterError(
      'BAD_RESPONSE',
      `OpenRouter sent more than ${MAX_WORKSPACE_PAGES} full pages of /workspaces`,
      { endpoint: '/workspaces' },
    );
  }

  /** Every item of a `{data, total_count}` management list, page by page (`limit` 100). */
  async function listCounted<T>(
    endpoint: string,
    query: string,
    read: (body: unknown) => CountedPage<T>,
    requestOptions?: RequestOptions,
  ): Promise<readonly T[]> {
    const all: T[] = [];
    for (let page = 0; page < MAX_WORKSPACE_PAGES; page++) {
      const { items, totalCount } = await call(
        {
          method: 'GET',
          endpoint,
          query: `${query}${query ? '&' : ''}offset=${page * WORKSPACES_PAGE_SIZE}&limit=${WORKSPACES_PAGE_SIZE}`,
          key: 'management',
          read,
        },
        requestOptions,
      );
      all.push(...items);
      if (items.length < WORKSPACES_PAGE_SIZE || (totalCount !== null && all.length >= totalCount))
        return all;
    }
    throw new OpenRouterError(
      'BAD_RESPONSE',
      `OpenRouter sent more than ${MAX_WORKSPACE_PAGES} full pages of ${endpoint}`,
      {
        endpoint,
      },
    );
  }

  function keyInventory(requestOptions?: RequestOptions): Promise<KeyInventory> {
    keyFor('management', '/keys');
    return listKeyInventory({
      listWorkspaces: () => listWorkspaces(requestOptions),
      listWorkspaceKeys: (workspaceId) => listWorkspaceKeys(workspaceId, requestOptions),
    });
  }

  return {
    hasApiKey: apiKey !== undefined,
    hasManagementKey: managementKey !== undefined,
    getCurrentKey: (requestOptions) =>
      call({ method: 'GET', endpoint: '/key', key: 'api', read: readCurrentKey }, requestOptions),
    getManagementKeyInfo: (requestOptions) =>
      call({ method: 'GET', endpoint: '/key', key: 'management', read: readCurrentKey }, requestOptions),
    getCredits: (requestOptions) =>
      call({ method: 'GET', endpoint: '/credits', key: 'management', read: readCredits }, requestOptions),
    listAllKeys: async (requestOptions) => (await keyInventory(requestOptions)).keys,
    listKeyInventory: keyInventory,
    listWorkspaceKeys: (workspaceId, requestOptions) => listWorkspaceKeys(workspaceId, requestOptions),
    listGuardrails: (workspaceId, requestOptions) =>
      listCounted(
        '/guardrails',
        workspaceId === null ? '' : `workspace_id=${encodeURIComponent(workspaceId)}`,
        readGuardrailsPage,
        requestOptions,
      ),
    listGuardrailKeyAssignments: (requestOptions) =>
      listCounted('/guardrails/assignments/keys', '', readKeyAssignmentsPage, requestOptions),
    getWorkspaceBudgets: (workspaceId, requestOptions) =>
      call(
        {
          method: 'GET',
          endpoint: `/workspaces/${encodeURIComponent(workspaceId)}/budgets`,
          key: 'management',
          read: readWorkspaceBudgets,
        },
        requestOptions,
      ),
    // `/models` needs no key; sending none means a bad key cannot change the answer.
    listModels: (requestOptions) =>
      call({ method: 'GET', endpoint: '/models', key: 'none', read: readModels }, requestOptions),
    getModelEndpoints: (modelId, requestOptions) =>
      call(
        {
          method: 'GET',
          endpoint: `/models/${modelId.split('/').map(encodeURIComponent).join('/')}/endpoints`,
          key: apiKey === undefined ? 'none' : 'api',
          read: readModelEndpoints,
        },
        requestOptions,
      ),
    getActivity: (query, requestOptions) =>
      call(
        {
          method: 'GET',
          endpoint: '/activity',
          ...(query.apiKeyHash === undefined
            ? {}
            : { query: `api_key_hash=${encodeURIComponent(query.apiKeyHash)}` }),
          key: 'management',
          read: readActivity,
        },
        requestOptions,
      ),
    chatCompletion: (request: ChatRequest, requestOptions?: RequestOptions) =>
      call(
        {
          method: 'POST',
          endpoint: '/chat/completions',
          key: 'api',
          body: {
            model: request.model,
            messages: [{ role: 'user', content: request.prompt }],
            max_tokens: request.maxTokens,
            ...(request.fallbackModels && request.fallbackModels.length > 0
              ? { models: [...request.fallbackModels] }
              : {}),
            stream: false,
            // A documented no-op today; older OpenRouter returned `cost` only with it.
            usage: { include: true },
          },
          read: readChatCompletion,
        },
        requestOptions,
      ),
    close: async () => {
      if (closed || ownAgent === null) return;
      closed = true;
      await ownAgent.close();
    },
  };
}
