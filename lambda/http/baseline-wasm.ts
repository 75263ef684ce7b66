import { setFlagsFromString } from 'node:v8';

/**
 * Keeps undici's HTTP parser (llhttp, compiled to WebAssembly) on V8's baseline compiler.
 *
 * V8 compiles a WebAssembly module with Liftoff, then compiles it again with its optimizing
 * compiler on background threads. For llhttp that second compile is about 490 M instructions
 * (measured with callgrind: a third of a whole zero-latency CLI audit), and a process waits for it
 * at exit. An audit parses a few dozen small answers, which baseline code does as well; on a
 * fractional-vCPU Lambda or a 2-core CI runner the background compile only competes with the run.
 * `--liftoff-only` is read when a module is compiled (undici compiles at its first connection), so
 * setting it at start-up applies; it changes nothing else in the process.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
