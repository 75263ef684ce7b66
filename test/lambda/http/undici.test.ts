import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import * as undici from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, request } from '../../../lambda/http/undici';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server;
let origin: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(`answer to ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  origin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  received.length = 0;
  vi.restoreAllMocks();
});

type RequestOptions = Parameters<typeof undici.request>[1];

/** What the server saw and what the caller got back, for one call of a `request` function. */
async function exchange(send: typeof undici.request, path: string, options: RequestOptions) {
  const response = await send(`${origin}${path}`, options);
  const text = await response.body.text();
  const seen = received.pop();
  // The connection and length headers depend on the pool's state, not on the call.
  const { connection: _c, 'content-length': _l, ...headers } = seen?.headers ?? {};
  return { status: response.statusCode, text, seen: { ...seen, headers } };
}

describe('undici built from its own modules', () => {
  it('exports undici’s own Agent class, not a copy', () => {
    expect(Agent).toBe(undici.Agent);
    expect(new Agent()).toBeInstanceOf(undici.Dispatcher);
  });

  it.each<[string, string, RequestOptions]>([
    ['a GET without options', '/key', undefined],
    ['a GET with a query', '/api/v1/keys?include_disabled=true&offset=100', { method: 'GET' }],
    ['a POST with a body and headers', '/hook', { method: 'POST', body: '{"a":1}', headers: { 'x-t': '1' } }],
    ['a body without a method (sent as PUT, as undici does)', '/put', { body: 'x' }],
    ['a failing status', '/missing', { method: 'GET' }],
  ])('sends %s exactly as undici’s request does', async (_, path, options) => {
    const agent = new Agent();
    try {
      const withOptions = (o: RequestOptions): RequestOptions => ({ ...o, dispatcher: agent });
      const ours = await exchange(request, path, withOptions(options));
      const theirs = await exchange(undici.request, path, withOptions(options));
      expect(ours).toEqual(theirs);
      expect(ours.seen.url).toBe(path);
    } finally {
      await agent.close();
    }
  });

  it('sends through the given dispatcher', async () => {
    const agent = new Agent();
    const dispatch = vi.spyOn(agent, 'dispatch');
    try {
      const response = await request(`${origin}/through-agent`, { dispatcher: agent });
      expect(await response.body.text()).toBe('answer to GET /through-agent');
      expect(dispatch).toHaveBeenCalledTimes(1);
    } finally {
      await agent.close();
    }
  });

  it('sends through undici’s global dispatcher when given none', async () => {
    const dispatch = vi.spyOn(undici.getGlobalDispatcher(), 'dispatch');

    const response = await request(`${origin}/global`);

    expect(await response.body.text()).toBe('answer to GET /global');
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['ftp://127.0.0.1/file', undici.errors.InvalidArgumentError],
    ['not a url', TypeError],
  ])('refuses %s as undici does, before sending anything', (url, errorClass) => {
    expect(() => request(url)).toThrow(errorClass);
    expect(() => undici.request(url)).toThrow(errorClass);
    expect(received).toEqual([]);
  });
});
