/**
 * A tiny HTTP server on 127.0.0.1 that answers requests from a script, for client behaviours that
 * need exact control (retry timing, Retry-After, resets, stalls). The simulator covers the rest.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** `Date.now()` when the request arrived. */
  readonly at: number;
}

export type Responder = (req: IncomingMessage, res: ServerResponse, request: RecordedRequest) => void;

export interface ScriptedServer {
  /** e.g. `http://127.0.0.1:40000/api/v1` */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Answers the next requests in order; the last responder repeats. */
  script(...responders: Responder[]): void;
  /** A counter for the `huge` responder, reset by `script`. */
  readonly stats: { bytesWritten: number };
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let responders: Responder[] = [json(200, {})];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stats = { bytesWritten: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const index = Math.min(requests.length, responders.length - 1);
      requests.push(recorded);
      const responder = responders[index];
      if (responder === undefined) throw new Error('script is empty');
      responder(req, res, recorded);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // listen() on a TCP port always yields AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    stats,
    script: (...next) => {
      responders = next.length > 0 ? next : [json(200, {})];
      requests.length = 0;
      stats.bytesWritten = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return text(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Responder {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** Never answers. */
export const hang: Responder = () => {};

/** Destroys the connection without answering. */
export const reset: Responder = (req) => {
  req.socket.destroy();
};

/** 200 headers and the start of a JSON body, then silence. */
export const stallMidBody: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"data":{"label":"sk-or-v1-abc...def",');
};

/**
 * A syntactically valid JSON body of `bytes` bytes, streamed with backpressure (so `counter` shows
 * how much the client actually pulled), without Content-Length unless asked.
 */
export function huge(bytes: number, counter: { bytesWritten: number }, withContentLength = false): Responder {
  return (_req, res) => {
    const head = '{"data":[],"padding":"';
    const tail = '"}';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (withContentLength) headers['content-length'] = String(bytes);
    res.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let remaining = bytes - head.length - tail.length;
    res.write(head);
    const pump = () => {
      while (remaining > 0 && !res.destroyed) {
        const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
        remaining -= piece.length;
        counter.bytesWritten += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end(tail);
    };
    res.on('close', () => {
      remaining = 0;
    });
    pump();
  };
}
