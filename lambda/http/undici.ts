/**
 * The two undici values the product uses, `Agent` and `request`, loaded from undici's own modules
 * instead of its entry point. Why: undici is CommonJS, so a bundler cannot tree-shake it, and its
 * `index.js` loads everything it has (fetch, WebSocket, EventSource, caches, mocks…): 522 KB of
 * the 627 KB Lambda bundle, against 295 KB this way. These are undici's implementations,
 * unchanged; only the entry point's wiring is repeated here. Every runtime import of undici in
 * lambda/ goes through this module; types still come from 'undici' (type-only imports cost nothing
 * at run time). Keep in step with node_modules/undici/index.js when upgrading undici (now 7.30.2).
 */
import type { Agent as AgentType, request as undiciRequest } from 'undici';
import api from 'undici/lib/api/index.js';
import util from 'undici/lib/core/util.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import undiciGlobal from 'undici/lib/global.js';

// undici's entry point gives every dispatcher `request`, `stream`, … this way, at import. Done here
// too, so that `dispatcher.request()` works without that entry point; assigning the same functions
// again when it is loaded as well (tests, the simulator) changes nothing.
Object.assign(Dispatcher.prototype, api);

/** undici's `Agent`: a connection pool per origin. */
export const Agent: typeof AgentType = AgentClass;
export type Agent = AgentType;

/**
 * undici's `request(url, options)`, as its entry point builds it (`makeDispatcher(api.request)`):
 * the URL checked by undici and split into origin and path, sent through `options.dispatcher` or
 * the global dispatcher. Only the promise form that undici's types declare.
 */
export const request: typeof undiciRequest = (url, options) => {
  const parsed = util.parseURL(url);
  const { dispatcher = undiciGlobal.getGlobalDispatcher(), ...rest } = options ?? {};
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method || (rest.body ? 'PUT' : 'GET'),
  });
};
