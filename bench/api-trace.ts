import type { OpenRouterApi, RequestOptions } from '../lambda/openrouter/types';

/** The endpoints of an audit, as the critical-path model and the trace name them. */
export type Endpoint = 'key' | 'key-management' | 'credits' | 'keys' | 'models' | 'chat';

/** One API call the engine made: which endpoint, when it started and ended (ms since the trace began). */
export interface TracedCall {
  readonly endpoint: Endpoint;
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Wraps an OpenRouterApi so that every call is recorded with its start and end time. The engine
 * cannot tell: the same methods, the same promises. Used to check the critical-path model against
 * what the engine actually waits for.
 */
export function traceApi(api: OpenRouterApi): { readonly api: OpenRouterApi; readonly calls: TracedCall[] } {
  const calls: TracedCall[] = [];
  const origin = performance.now();
  const record = <T>(endpoint: Endpoint, label: string, call: () => Promise<T>): Promise<T> => {
    const startMs = performance.now() - origin;
    const done = () => calls.push({ endpoint, label, startMs, endMs: performance.now() - origin });
    return call().finally(done);
  };
  return {
    calls,
    api: {
      hasApiKey: api.hasApiKey,
      hasManagementKey: api.hasManagementKey,
      getCurrentKey: (o?: RequestOptions) => record('key', 'GET /key', () => api.getCurrentKey(o)),
      getManagementKeyInfo: (o?: RequestOptions) =>
        record('key-management', 'GET /key (management key)', () => api.getManagementKeyInfo(o)),
      getCredits: (o?: RequestOptions) => record('credits', 'GET /credits', () => api.getCredits(o)),
      listAllKeys: (o?: RequestOptions) => record('keys', 'GET /keys (all pages)', () => api.listAllKeys(o)),
      listKeyInventory: (o?: RequestOptions) =>
        record('keys', 'GET /workspaces, GET /keys (all pages)', () => api.listKeyInventory(o)),
      listWorkspaceKeys: (w: string, o?: RequestOptions) =>
        record('keys', 'GET /keys?workspace_id= (all pages)', () => api.listWorkspaceKeys(w, o)),
      listGuardrails: (w: string | null, o?: RequestOptions) =>
        record('keys', 'GET /guardrails', () => api.listGuardrails(w, o)),
      listGuardrailKeyAssignments: (o?: RequestOptions) =>
        record('keys', 'GET /guardrails/assignments/keys', () => api.listGuardrailKeyAssignments(o)),
      getWorkspaceBudgets: (w: string, o?: RequestOptions) =>
        record('keys', 'GET /workspaces/{id}/budgets', () => api.getWorkspaceBudgets(w, o)),
      listModels: (o?: RequestOptions) => record('models', 'GET /models', () => api.listModels(o)),
      // Weighted like the endpoints nearest them, as the critical-path model weighs them.
      getModelEndpoints: (modelId, o?: RequestOptions) =>
        record('models', `GET /models/${modelId}/endpoints`, () => api.getModelEndpoints(modelId, o)),
      getActivity: (query, o?: RequestOptions) =>
        record('credits', 'GET /activity', () => api.getActivity(query, o)),
      chatCompletion: (request, o?: RequestOptions) =>
        record('chat', `POST /chat/completions ${request.model}`, () => api.chatCompletion(request, o)),
    },
  };
}
