/**
 * A dispatcher that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY through undici's EnvHttpProxyAgent,
 * except for loopback hosts, which always go direct: the local simulator (or any server on this
 * machine) must never be sent to a proxy, whatever NO_PROXY says. Failures of the proxy itself get
 * a `PROXY_…` code so that the audit can tell "the proxy is down" from "OpenRouter is down".
 * Loaded only when a proxy is configured: the modules stay off the start-up path otherwise.
 */
import type { Agent as AgentType, Dispatcher, Pool as PoolType } from 'undici';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import { PROXY_CODE_PREFIX } from '../openrouter/network-cause';
import { isLoopbackHost } from './loopback';
import type { ProxySettings } from './proxy-settings';
import { Agent } from './undici';

/** A dispatcher and the one call that releases all its connections. */
export interface ClosableDispatcher {
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

/** The proxy's own failure, carrying the code the audit reads (`PROXY_ECONNREFUSED`, `PROXY_HTTP_407`). */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  constructor(
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`proxy failure (${code})`, options);
  }
}

const SAFE_CODE = /^[A-Z0-9_]{1,40}$/;

/** `PROXY_<code>` for a failure to reach the proxy itself (refused, unknown host, timeout). */
function proxyConnectCode(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : '';
  return `${PROXY_CODE_PREFIX}${SAFE_CODE.test(code) ? code : 'CONNECT_FAILED'}`;
}

/** The proxy's refusal of a tunnel, as undici words it: "Proxy response (407) !== 200 when HTTP Tunneling". */
export function tunnelRefusalCode(error: unknown): string | null {
  const message =
    typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
      ? error.message
      : '';
  const status = /^Proxy response \((\d{3})\)/.exec(message)?.[1];
  return status === undefined ? null : `${PROXY_CODE_PREFIX}HTTP_${status}`;
}

/** The handler, with a refused tunnel turned into a ProxyError. */
function markTunnelRefusals(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  const mark = (error: Error): Error => {
    const code = tunnelRefusalCode(error);
    return code === null ? error : new ProxyError(code, { cause: error });
  };
  return new Proxy(handler, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'onError') return (error: Error) => Reflect.apply(value, target, [mark(error)]);
      if (property === 'onResponseError') {
        return (controller: unknown, error: Error) => Reflect.apply(value, target, [controller, mark(error)]);
      }
      return value.bind(target);
    },
  });
}

/**
 * The connection pool to the proxy itself (ProxyAgent's `clientFactory`): its connector is the only
 * place where "could not reach the proxy" is told apart from "could not reach the destination"
 * (which the proxy reports as a refused tunnel, or which NO_PROXY sends direct).
 */
const proxyClientFactory = (origin: URL, options: PoolType.Options): Dispatcher => {
  const connector = options.connect;
  if (typeof connector !== 'function') return new Pool(origin, options);
  return new Pool(origin, {
    ...options,
    connect: (connectOptions, callback) =>
      connector(connectOptions, (error, socket) => {
        if (error === null) callback(null, socket);
        else callback(new ProxyError(proxyConnectCode(error), { cause: error }), null);
      }),
  });
};

const hostOf = (origin: Dispatcher.DispatchOptions['origin']): string | null => {
  if (origin === undefined) return null;
  try {
    return (typeof origin === 'string' ? new URL(origin) : origin).hostname;
  } catch {
    return null;
  }
};

/**
 * A dispatcher for `settings` (see proxySettings): loopback origins through a direct Agent, the
 * rest through EnvHttpProxyAgent, both built with `agentOptions` (timeouts, keep-alive).
 */
export function createProxyDispatcher(
  settings: ProxySettings,
  agentOptions: AgentType.Options = {},
): ClosableDispatcher {
  const direct = new Agent(agentOptions);
  const proxied = new EnvHttpProxyAgent({ ...agentOptions, ...settings, clientFactory: proxyClientFactory });
  const dispatcher = proxied.compose((dispatch) => (options, handler) => {
    const host = hostOf(options.origin);
    if (host !== null && isLoopbackHost(host)) return direct.dispatch(options, handler);
    return dispatch(options, markTunnelRefusals(handler));
  });
  return {
    dispatcher,
    close: async () => {
      await Promise.all([direct.close(), proxied.close()]);
    },
  };
}
