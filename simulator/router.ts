import type { RouteHandler } from './context';
import { errorReply, type Reply } from './reply';
import { activity } from './routes/activity';
import { chatCompletions } from './routes/chat';
import { credits } from './routes/credits';
import { modelEndpoints } from './routes/endpoints';
import { generation } from './routes/generation';
import { currentKey } from './routes/key';
import { getKey, listKeys } from './routes/keys';
import { listModels } from './routes/models';
import { listGuardrails, listKeyAssignments, listWorkspaces, workspaceBudgets } from './routes/workspaces';
import type { RouteName } from './types';

export const API_PREFIX = '/api/v1';

export interface RouteMatch {
  readonly route: RouteName;
  readonly handler: RouteHandler;
  readonly params: Readonly<Record<string, string>>;
}

interface RouteDefinition {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly route: RouteName;
  readonly handler: RouteHandler;
}

/** Paths relative to `/api/v1`; named groups become path parameters. */
const ROUTE_TABLE: readonly RouteDefinition[] = [
  { method: 'GET', pattern: /^\/(?:auth\/)?key$/, route: 'key', handler: currentKey },
  { method: 'GET', pattern: /^\/credits$/, route: 'credits', handler: credits },
  { method: 'GET', pattern: /^\/keys$/, route: 'keys', handler: listKeys },
  { method: 'GET', pattern: /^\/keys\/(?<hash>[^/]+)$/, route: 'keys', handler: getKey },
  { method: 'GET', pattern: /^\/models$/, route: 'models', handler: listModels },
  { method: 'GET', pattern: /^\/workspaces$/, route: 'workspaces', handler: listWorkspaces },
  {
    method: 'GET',
    pattern: /^\/workspaces\/(?<workspace>[^/]+)\/budgets$/,
    route: 'workspaces',
    handler: workspaceBudgets,
  },
  { method: 'GET', pattern: /^\/guardrails$/, route: 'guardrails', handler: listGuardrails },
  {
    method: 'GET',
    pattern: /^\/guardrails\/assignments\/keys$/,
    route: 'guardrails',
    handler: listKeyAssignments,
  },
  {
    method: 'GET',
    pattern: /^\/models\/(?<model>[^/]+\/[^/]+)\/endpoints$/,
    route: 'endpoints',
    handler: modelEndpoints,
  },
  { method: 'POST', pattern: /^\/chat\/completions$/, route: 'chat', handler: chatCompletions },
  { method: 'GET', pattern: /^\/generation$/, route: 'generation', handler: generation },
  { method: 'GET', pattern: /^\/activity$/, route: 'activity', handler: activity },
];

function decodeParams(groups: Record<string, string> | undefined): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups ?? {})) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The route for a request, or the JSON 404/405 OpenRouter-style answer when there is none. */
export function matchRoute(method: string, pathname: string): RouteMatch | Reply {
  const notFound = errorReply(404, 'Not Found');
  if (!pathname.startsWith(`${API_PREFIX}/`)) return notFound;
  const path = pathname.slice(API_PREFIX.length).replace(/(?<=.)\/$/, '');
  const allowed: string[] = [];
  for (const definition of ROUTE_TABLE) {
    const match = definition.pattern.exec(path);
    if (match === null) continue;
    if (definition.method !== method) {
      allowed.push(definition.method);
      continue;
    }
    const params = decodeParams(match.groups);
    if (params === undefined) return errorReply(400, 'Malformed path');
    return { route: definition.route, handler: definition.handler, params };
  }
  if (allowed.length > 0)
    return errorReply(405, 'Method Not Allowed', { headers: { allow: allowed.join(', ') } });
  return notFound;
}
