import { createServer, type Server } from 'node:http';
import { startSimulator } from '../simulator/server';
import type { Simulator } from '../simulator/types';
import { FAULT_CASES, MATRIX_ROUTES } from '../test/faults/fault-table';
import { FAULT_CHILD_ENV, type FaultChildReport } from './fault-memory-child';
import { runChild } from './processes';
import { markdownTable, ms } from './table';

/**
 * Peak memory of one audit per row of the fault matrix (every route answering that fault), plus
 * the hostile bodies of issue 11 served raw: 16 MB of nested JSON, millions of tiny values, an
 * endless /keys of pages larger than documented. Each audit runs in a fresh child process, so the
 * figure is the audit's own; the Lambda has 256 MB and every row must stay under it.
 */

/** The function's memory: every row must stay below it. */
export const MEMORY_LIMIT_MB = 256;

export interface FaultMemoryRow {
  readonly name: string;
  readonly maxRssMb: number;
  readonly wallMs: number;
  /** Checks that ended `pass` / not `pass`: the audit reached a verdict either way. */
  readonly verdict: string;
}

/** Where a row's audit sends its requests. */
interface Target {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly managementKey: string;
  close(): Promise<void>;
}

const SIXTEEN_MB = 16 * 1024 * 1024;

/** Bodies no simulator fault can produce (they are not valid documents of any route), served raw. */
const RAW_ROWS: readonly (readonly [string, () => Buffer])[] = [
  [
    'raw: 16 MB of nested arrays ([[[[…]]]]) on every route',
    () => Buffer.from(`${'['.repeat(SIXTEEN_MB / 2 - 1)}${']'.repeat(SIXTEEN_MB / 2 - 1)}`),
  ],
  [
    'raw: 16 MB of empty objects ([{},{},…]) on every route',
    () => Buffer.from(`[${'{},'.repeat(SIXTEEN_MB / 3 - 1)}{}]`),
  ],
  [
    'raw: an endless /keys of 10 MB pages (every page full, 100 KB names)',
    () => {
      const key = (n: number) => ({
        hash: `${n}`.padStart(64, '0'),
        name: 'n'.repeat(100_000),
        label: 'sk-or-v1-abc...def',
        disabled: false,
        limit: null,
        limit_remaining: null,
        usage: 0,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: null,
      });
      return Buffer.from(JSON.stringify({ data: Array.from({ length: 100 }, (_, i) => key(i)) }));
    },
  ],
];

async function rawTarget(body: Buffer): Promise<Target> {
  let served = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served += 1;
      // An endless list must not look like the same page twice: the first hash changes per answer.
      const answer = Buffer.from(body);
      const at = answer.indexOf('"hash":"');
      if (at >= 0) answer.write(String(served).padStart(8, '0'), at + 8, 'latin1');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('raw server is not on TCP');
  const fake = (c: string) => `sk-or-v1-${c.repeat(64)}`;
  return {
    baseUrl: `http://127.0.0.1:${address.port}/api/v1`,
    apiKey: fake('a'),
    managementKey: fake('b'),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function simulatorTarget(sim: Simulator): Target {
  return {
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    managementKey: sim.managementKey,
    close: () => sim.close(),
  };
}

async function measureRow(entry: string, name: string, target: Target): Promise<FaultMemoryRow> {
  try {
    const child = await runChild({
      command: process.execPath,
      args: [entry, 'fault-memory-child'],
      env: {
        ...process.env,
        [FAULT_CHILD_ENV.baseUrl]: target.baseUrl,
        [FAULT_CHILD_ENV.apiKey]: target.apiKey,
        [FAULT_CHILD_ENV.managementKey]: target.managementKey,
      },
    });
    // Our own child printed this line (fault-memory-child.ts): its shape is ours, not input.
    const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as FaultChildReport;
    const statuses = Object.values(report.checks);
    const passed = statuses.filter((s) => s === 'pass').length;
    return {
      name,
      maxRssMb: report.maxRssKb / 1024,
      wallMs: report.wallMs,
      verdict: `${passed} pass, ${statuses.length - passed} not`,
    };
  } finally {
    await target.close();
  }
}

/** Every row, one child at a time (progress through `log`). */
export async function measureFaultMemory(
  entry: string,
  log: (line: string) => void,
): Promise<FaultMemoryRow[]> {
  const rows: FaultMemoryRow[] = [];
  rows.push(await measureRow(entry, 'healthy (baseline)', simulatorTarget(await startSimulator())));
  for (const fault of FAULT_CASES) {
    // Rows that reshape the healthy answer keep the matrix's own memory-neutral bodies: skipped here.
    if (fault.reshapes === true) continue;
    log(`fault memory: ${fault.name}`);
    const sim = await startSimulator();
    for (const route of MATRIX_ROUTES) sim.injectFault(route, fault.fault(route, undefined));
    rows.push(await measureRow(entry, fault.name, simulatorTarget(sim)));
  }
  for (const [name, body] of RAW_ROWS) {
    log(`fault memory: ${name}`);
    rows.push(await measureRow(entry, name, await rawTarget(body())));
  }
  return rows;
}

/** The rows as a markdown table, and the rows over the limit. */
export function renderFaultMemory(rows: readonly FaultMemoryRow[]): { text: string; over: string[] } {
  const over = rows.filter((r) => r.maxRssMb >= MEMORY_LIMIT_MB).map((r) => r.name);
  const table = markdownTable(
    ['fault (every route)', 'peak RSS', 'audit', 'verdict', `< ${MEMORY_LIMIT_MB} MB`],
    rows.map((r) => [
      r.name,
      `${r.maxRssMb.toFixed(0)} MB`,
      ms(r.wallMs),
      r.verdict,
      r.maxRssMb < MEMORY_LIMIT_MB ? 'yes' : 'NO',
    ]),
  );
  const peak = Math.max(...rows.map((r) => r.maxRssMb));
  const text = `\n## Fault matrix: peak RSS per row (each audit in a fresh child process)\n\n${table}\nHighest: ${peak.toFixed(0)} MB of ${MEMORY_LIMIT_MB} MB.\n`;
  return { text, over };
}

/** Measures and prints the table on stdout; 1 when a row reached the limit. */
export async function printFaultMemory(entry: string): Promise<number> {
  const rows = await measureFaultMemory(entry, (line) => process.stderr.write(`bench: ${line}\n`));
  const { text, over } = renderFaultMemory(rows);
  process.stdout.write(text);
  return over.length === 0 ? 0 : 1;
}
