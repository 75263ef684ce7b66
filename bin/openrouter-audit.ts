#!/usr/bin/env node
// The CLI entry: hands argv and the real process streams to runCli and turns its answer into the
// exit code. All logic lives in cli/ (tested in-process); this is the only place that exits.
import { runCli } from '../cli/main';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
});
// Exit explicitly (a lingering keep-alive socket must not hold the process open), but only once
// stdout has flushed, so that a piped report is never cut short.
process.stdout.write('', () => process.exit(code));
