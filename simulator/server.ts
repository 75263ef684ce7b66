import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AccountBuilder } from './account';
import { bearerToken, identifyCaller } from './auth';
import { requestedModel } from './chat-request';
import type { RouteRequest, SimulatorState } from './context';
import { Delays } from './delays';
import { playFault } from './fault-player';
import { FaultBook } from './faults';
import { GenerationStore } from './generations';
import { LoadShaper } from './load';
import { assertLatency, assertScenario, resolveOptions } from './options';
import { errorReply, writeReply } from './reply';
import { parseBody, readBody } from './request-body';
import { API_PREFIX, matchRoute } from './router';
import type { Fault, RouteName, ScenarioName, Simulator, SimulatorOptions } from './types';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error('simulator: no TCP address after listen'));
      else resolve(address.port);
    });
  });
}

/**
 * Starts the local OpenRouter simulator: a real HTTP server on a loopback address (a free port
 * by default) serving OpenRouter's shapes under `/api/v1`, with named scenarios and injectable
 * faults. Always `close()` it: that also ends hung and half-sent answers.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const accounts = new AccountBuilder(resolved);
  const state: SimulatorState = {
    keys: { apiKey: resolved.apiKey, managementKey: resolved.managementKey },
    account: accounts.build(resolved.scenario, resolved.now()),
    generations: new GenerationStore(),
    generationDelayMs: resolved.generationDelayMs,
    creditsWithRegularKey: resolved.creditsWithRegularKey,
    now: resolved.now,
    load: new LoadShaper(
      { rateLimitRps: resolved.rateLimitRps, errorRate: resolved.errorRate },
      resolved.now,
      resolved.random,
    ),
  };
  const faults = new FaultBook();
  const counts = new Map<RouteName, number>();
  const delays = new Delays();
  const sockets = new Set<Socket>();
  let latencyMs = resolved.latencyMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if ('status' in match) {
      req.resume();
      if ((await delays.wait(latencyMs)) && !res.destroyed) writeReply(res, match);
      return;
    }
    counts.set(match.route, (counts.get(match.route) ?? 0) + 1);
    const text = await readBody(req);
    if (text === undefined) {
      writeReply(res, errorReply(413, 'Payload Too Large'));
      return;
    }
    const body = parseBody(text);
    const subject =
      match.route === 'chat'
        ? requestedModel(body)
        : match.route === 'endpoints'
          ? match.params.model
          : undefined;
    const token = bearerToken(req.headers.authorization);
    const key =
      token === state.keys.apiKey ? 'api' : token === state.keys.managementKey ? 'management' : undefined;
    const fault = faults.take(match.route, subject, key);
    if (!(await delays.wait(latencyMs + (fault?.latencyMs ?? 0))) || res.destroyed) return;
    // Judged after the wait, so that a scenario switched meanwhile applies to the whole answer.
    const request: RouteRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body,
      params: match.params,
      caller: identifyCaller(req.headers.authorization, state.keys, state.account),
    };
    const normal = () => match.handler(request, state);
    if (fault === undefined) {
      writeReply(res, normal());
      return;
    }
    const model = subject === undefined ? undefined : state.account.catalog.byId.get(subject);
    await playFault(fault, { req, res, normal, providerName: model?.endpoints[0].providerName ?? null });
  }

  const server = createServer((req, res) => {
    // A client that goes away mid-answer is normal here (timeouts, resets): never an unhandled error.
    res.on('error', () => undefined);
    handle(req, res).catch(() => {
      if (!res.headersSent) writeReply(res, errorReply(500, 'Internal Server Error'));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const port = await listen(server, resolved.port, resolved.host);
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;

  return {
    baseUrl: `http://${hostInUrl}:${port}${API_PREFIX}`,
    apiKey: resolved.apiKey,
    managementKey: resolved.managementKey,
    setScenario(name: ScenarioName) {
      assertScenario(name);
      state.account = accounts.build(name, resolved.now());
    },
    setLatency(ms: number) {
      latencyMs = assertLatency(ms);
    },
    injectFault(route: RouteName, fault: Fault) {
      faults.add(route, fault);
    },
    clearFaults() {
      faults.clear();
    },
    requestCount(route: RouteName) {
      return counts.get(route) ?? 0;
    },
    resetCounts() {
      counts.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        delays.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
