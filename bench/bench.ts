/**
 * `npm run bench` (node dist/bench/bench.mjs): the performance figures of issue 6 against the local
 * simulator, never the network. `node dist/bench/bench.mjs scale-child` is the child process the scale
 * figure runs each large-account audit in; `scan-child DIR` the one the scan figure scans in. Each
 * path imports only what it needs.
 */

// Top-level await needs a module; this entry has nothing to export.
export {};

const [command] = process.argv.slice(2);

if (command === 'scale-child') {
  const { runScaleChild } = await import('./scale-child');
  await runScaleChild();
} else if (command === 'scan-child') {
  const { runScanChild } = await import('./scan-child');
  await runScanChild(process.argv[3]);
} else if (command === 'fault-memory-child') {
  const { runFaultMemoryChild } = await import('./fault-memory-child');
  await runFaultMemoryChild();
} else if (command === 'fault-memory') {
  const { printFaultMemory } = await import('./fault-memory');
  process.exitCode = await printFaultMemory(process.argv[1] ?? 'dist/bench/bench.mjs');
} else if (command === undefined) {
  const { runBench } = await import('./run-bench');
  process.exitCode = await runBench();
} else {
  process.stderr.write(
    `bench: unknown command "${command}" (expected none, fault-memory, scale-child or scan-child)\n`,
  );
  process.exitCode = 2;
}
