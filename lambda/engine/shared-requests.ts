import type { OpenRouterApi } from '../openrouter/types';
import type { SharedRequests } from './check';

/**
 * Memoises the requests several checks need, so that an audit makes one `/key` call however
 * many checks read the key. A failed request is shared too: each check reports it in its terms.
 */
export function createSharedRequests(api: OpenRouterApi, signal: AbortSignal): SharedRequests {
  const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let pending: Promise<T> | undefined;
    return () => {
      pending ??= load();
      return pending;
    };
  };
  return {
    currentKey: once(() => api.getCurrentKey({ signal })),
    managementKeyInfo: once(() => api.getManagementKeyInfo({ signal })),
    credits: once(() => api.getCredits({ signal })),
    allKeys: once(() => api.listAllKeys({ signal })),
    models: once(() => api.listModels({ signal })),
  };
}
