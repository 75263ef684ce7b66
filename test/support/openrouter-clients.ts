import { createOpenRouterClient, type OpenRouterClient } from '../../lambda/openrouter/client';
import type { OpenRouterClientOptions } from '../../lambda/openrouter/client-options';

/** Clients a test file creates, closed together when the file (or each test) is done. */
export interface ClientPool {
  /** A client with fast retries, so that tests measure only the waits they mean to. */
  readonly create: (options?: Partial<OpenRouterClientOptions>) => OpenRouterClient;
  /** Closes every client created since the last call. */
  readonly closeAll: () => Promise<void>;
}

/** `defaults` is read at each `create`, so it may name a server that starts after the pool is made. */
export function fastRetryClients(defaults: () => OpenRouterClientOptions): ClientPool {
  const clients: OpenRouterClient[] = [];
  return {
    create: (options = {}) => {
      const client = createOpenRouterClient({
        ...defaults(),
        retry: { minDelayMs: 10, maxDelayMs: 20 },
        ...options,
      });
      clients.push(client);
      return client;
    },
    closeAll: async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  };
}
