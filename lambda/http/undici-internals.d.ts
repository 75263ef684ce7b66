/*
 * Types for the undici internals that ./undici.ts loads: undici ships typings for its entry point
 * only. Each module is typed as what that entry point exports it as, so the types stay undici's.
 */

declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';

  const AgentClass: typeof Agent;
  export = AgentClass;
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import type { Dispatcher } from 'undici';

  const DispatcherClass: typeof Dispatcher;
  export = DispatcherClass;
}

declare module 'undici/lib/api/index.js' {
  import type { Dispatcher } from 'undici';

  /** The methods undici's entry point assigns to `Dispatcher.prototype`. */
  const api: Pick<Dispatcher, 'request' | 'stream' | 'pipeline' | 'connect' | 'upgrade'>;
  export = api;
}

declare module 'undici/lib/global.js' {
  import type { getGlobalDispatcher } from 'undici';

  const globalDispatcher: { readonly getGlobalDispatcher: typeof getGlobalDispatcher };
  export = globalDispatcher;
}

declare module 'undici/lib/core/util.js' {
  import type { request } from 'undici';

  const util: {
    /** Checks an http(s) URL (string, URL or url.parse-style object); throws InvalidArgumentError. */
    readonly parseURL: (url: Parameters<typeof request>[0]) => URL;
  };
  export = util;
}

declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici';

  const EnvHttpProxyAgentClass: typeof EnvHttpProxyAgent;
  export = EnvHttpProxyAgentClass;
}

declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export = PoolClass;
}
