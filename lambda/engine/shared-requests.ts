import type { OpenRouterApi, RequestOptions } from '../openrouter/types';
import type { SharedRequests } from './check';

/**
 * Memoises the requests several checks need, so that an audit makes one `/key` call however
 * many checks read the key. A failed request is shared too: each check reports it in its terms.
 */
export function createSharedRequests(api: OpenRouterApi, options: RequestOptions): SharedRequests {
  const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let pending: Promise<T> | undefined;
    return () => {
      pending ??= load();
      return pending;
    };
  };
  const keyInventory = once(() => api.listKeyInventory(options));
  const memos = new Map<string, Promise<unknown>>();
  return {
    currentKey: once(() => api.getCurrentKey(options)),
    managementKeyInfo: once(() => api.getManagementKeyInfo(options)),
    credits: once(() => api.getCredits(options)),
    keyInventory,
    allKeys: once(async () => (await keyInventory()).keys),
    models: once(() => api.listModels(options)),
    memo<T>(name: string, load: () => Promise<T>): Promise<T> {
      let pending = memos.get(name) as Promise<T> | undefined;
      if (pending === undefined) {
        pending = load();
        memos.set(name, pending);
      }
      return pending;
    },
  };
}
