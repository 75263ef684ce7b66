import { createServer, type Server } from 'node:http';
import { runCli } from '../../cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams and exactly the environment given (nothing inherited). */
export async function runCliCaptured(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout, stderr };
}

/** A loopback HTTP server that answers 500 to everything and counts requests: proof that nothing was sent. */
export async function startRequestCounter(): Promise<{
  baseUrl: string;
  count: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.statusCode = 500;
    res.end('{}');
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the counter is not listening on TCP');
  const { port } = address;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    count: () => requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Anything shaped like an OpenRouter key, masked or not, beyond the 3+3 label form. */
export const KEY_SHAPED = /sk-or-v1-[0-9a-z]{7,}/i;
