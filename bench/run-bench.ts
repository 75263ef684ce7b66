import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startSimulator } from '../simulator/server';
import { type DeploymentCost, estimateDeploymentCost } from './deployment-cost';
import { buildLambdaBundles } from './lambda-bundle';
import { measureLatencyFigures } from './latency-figures';
import { describeMachine } from './machine';
import { renderReport } from './report';
import { measureScale, type ScaleFigures } from './scale';
import { measureScan } from './scan-figure';
import { BENCH_MODELS, RUNS, SCALE_EXTRA_KEYS, SCALE_LATENCY_MS } from './scenario';
import { measureStartup, type StartupTimes } from './startup';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * Runs every measurement (progress on stderr), prints the report on stdout and returns the exit
 * code: 1 when a target is missed. Phases run one after another, each closing its simulator, so
 * that no measurement competes with another for the two cores.
 */
export async function runBench(): Promise<number> {
  const benchStarted = performance.now();
  // dist/bench/bench.mjs: the project root is two folders up, whatever the working directory.
  const entry = resolve(process.argv[1] ?? 'dist/bench/bench.mjs');
  const projectRoot = resolve(dirname(entry), '..', '..');
  const cliEntry = join(projectRoot, 'dist', 'openrouter-audit.mjs');
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} is missing: run node scripts/build.mjs first`);

  log('audits at injected latency, and the same requests one at a time');
  const latency = await measureLatencyFigures();

  log(`10,000 keys at ${SCALE_LATENCY_MS} ms, each audit in a child process`);
  const big = await startSimulator({ extraKeys: SCALE_EXTRA_KEYS, latencyMs: SCALE_LATENCY_MS });
  let scale: ScaleFigures;
  try {
    scale = await measureScale(entry, big, BENCH_MODELS, RUNS.scale);
  } finally {
    await big.close();
  }

  log('Lambda bundles and process start-up');
  const bundles = await buildLambdaBundles(projectRoot);
  let startup: StartupTimes;
  try {
    startup = await measureStartup(bundles, cliEntry, RUNS.process, projectRoot);
  } finally {
    await bundles.dispose();
  }

  log('repository scan of a generated 2,600-file git work tree, each scan in a fresh process');
  const scan = await measureScan(entry, cliEntry, RUNS.scan);

  log('synthesizing the default stack for the cost model');
  const { synthesizeDefaultStack } = await import('./stack-inventory');
  const inventory = synthesizeDefaultStack();
  const healthy = await startSimulator();
  let cost: DeploymentCost;
  try {
    cost = await estimateDeploymentCost(inventory, healthy);
  } finally {
    await healthy.close();
  }

  const report = renderReport(
    { latency, scale, bundles, startup, cost, scan },
    { machine: describeMachine(), elapsedMs: performance.now() - benchStarted },
  );
  process.stdout.write(report.text);

  log('peak RSS of one audit per fault-matrix row, each in a child process');
  const { printFaultMemory } = await import('./fault-memory');
  const memory = await printFaultMemory(entry);
  return report.missed.length === 0 && memory === 0 ? 0 : 1;
}
