import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';

/** What the fake Slack endpoint does with one request. */
export type SlackReply =
  | { readonly status: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>> }
  | 'destroy'
  /** Sends a TCP reset (RST) instead of a plain close. */
  | 'reset'
  | 'hang';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeSlack {
  /** A webhook-shaped URL on 127.0.0.1 whose path holds `token`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, where {@link rerouteOrigin} can send a webhook host. */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that answers like a Slack incoming webhook, playing `replies`
 * in order (the last one repeats).
 */
export async function startFakeSlack(replies: readonly SlackReply[], token: string): Promise<FakeSlack> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)] ?? { status: 200, body: 'ok' };
      if (reply === 'destroy') {
        req.socket.destroy();
        return;
      }
      if (reply === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? (reply.status === 200 ? 'ok' : ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // listen(0, host) always yields an AddressInfo
  return {
    url: `http://127.0.0.1:${port}/services/T0000/B0000/${token}`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A dispatcher that sends requests for `fromOrigin` (e.g. the https origin of a webhook URL held in
 * a secret) to `toOrigin` (a fake on 127.0.0.1, in plain http: there is no certificate for a test
 * host). Every other request, the simulator's included, goes through unchanged.
 */
export function rerouteOrigin(dispatcher: Dispatcher, fromOrigin: string, toOrigin: string): Dispatcher {
  return dispatcher.compose((dispatch) => (options, handler) => {
    const origin = String(options.origin ?? '');
    return dispatch(origin === fromOrigin ? { ...options, origin: toOrigin } : options, handler);
  });
}
