#!/usr/bin/env node
// The CLI entry: hands argv and the real process streams to runCli and turns its answer into the
// exit code. All logic lives in cli/ (tested in-process); this is the only place that exits.
import module from 'node:module';
import { useBaselineWasmCompiler } from '../lambda/http/baseline-wasm';

useBaselineWasmCompiler();

// Node 22.1 and later keep V8's compiled code of the bundle on disk between runs, so a CI job's
// second audit skips parsing and compiling it; Node 20 has no such API. Enabled before the CLI's
// modules load (a dynamic import), as it only caches what is compiled after the call.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { callerCwd } = await import('../cli/caller-cwd');
const { runCli } = await import('../cli/main');

// The AWS SDK (loaded only for --secret-id) prints a multi-line notice on stderr on Node 20; the
// CLI's stderr is for its own one-line messages, so the notice is muted for this process only.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  cwd: callerCwd(process.env, process.cwd()),
});
// Exit explicitly (a lingering keep-alive socket must not hold the process open), but only once
// stdout has flushed, so that a piped report is never cut short.
process.stdout.write('', () => process.exit(code));
