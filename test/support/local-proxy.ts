import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';

/**
 * A forward proxy on 127.0.0.1 that records every CONNECT and forwards the tunnels it is told to
 * (host:port → a local port); anything else gets the status given (403 by default, 407 to play a
 * proxy that wants credentials). This is how a test proves a request went through a proxy: the
 * destination's name only ever reaches the proxy.
 */
export interface LocalProxy {
  readonly url: string;
  /** `host:port` of each CONNECT received, in order. */
  readonly connects: readonly string[];
  close(): Promise<void>;
}

const portOf = (server: Server | TlsServer): number => (server.address() as AddressInfo).port;

async function listen(server: Server | TlsServer): Promise<void> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
}

const closeServer = (server: Server | TlsServer) =>
  new Promise<void>((done) => {
    server.close(() => done());
  });

export async function startLocalProxy(
  tunnels: Readonly<Record<string, number>>,
  refuseWith = 403,
): Promise<LocalProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.statusCode = refuseWith;
    res.end();
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    sockets.add(client);
    client.on('error', () => {});
    const port = tunnels[target];
    if (port === undefined) {
      client.end(`HTTP/1.1 ${refuseWith} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${portOf(server)}`,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/**
 * A TLS front for a local plain-HTTP server, with a self-signed certificate for `hostname`
 * generated now by openssl (no key is ever committed). `caFile` is the certificate, for
 * NODE_EXTRA_CA_CERTS in the child process that should trust it.
 */
export interface TlsFront {
  readonly port: number;
  readonly caFile: string;
  close(): Promise<void>;
}

export async function startTlsFront(hostname: string, backendPort: number): Promise<TlsFront> {
  const dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-tls-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '2',
      '-subj',
      `/CN=${hostname}`,
      '-addext',
      `subjectAltName=DNS:${hostname}`,
    ],
    { stdio: 'ignore' },
  );
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: await readFile(keyFile), cert: await readFile(caFile) }, (tls) => {
    const upstream = connect(backendPort, '127.0.0.1');
    sockets.add(tls);
    sockets.add(upstream);
    tls.on('error', () => upstream.destroy());
    upstream.on('error', () => tls.destroy());
    tls.pipe(upstream).pipe(tls);
  });
  await listen(server);
  return {
    port: portOf(server),
    caFile,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
