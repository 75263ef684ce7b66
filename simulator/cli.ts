// Entry point of `npm run simulator` (bundled to dist/simulator.mjs): runs the CLI, then stops
// the simulator cleanly on SIGINT or SIGTERM.
import { runSimulatorCli } from './cli-main';

// A closed pipe (`npm run simulator -- --help | head`) is not an error worth a stack trace.
process.stdout.on('error', () => undefined);

const outcome = await runSimulatorCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

if (outcome.kind === 'exit') {
  process.exitCode = outcome.code;
} else {
  const stop = () => {
    outcome.simulator.close().then(() => process.stdout.write('Simulator stopped.\n'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
