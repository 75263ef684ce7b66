import { spawn } from 'node:child_process';

/**
 * Child processes timed from the parent: launch to exit, or launch to the first byte of stdout.
 * Both include the fork/exec of `node`, as a user's shell would pay it; the `node -e 0` baseline
 * is measured the same way so that ratios cancel it out.
 */

export interface ChildRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface ChildResult {
  /** Launch to exit, ms. */
  readonly exitMs: number;
  /** Launch to the first stdout byte, ms (null when nothing was written). */
  readonly firstByteMs: number | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a child to completion; rejects when it cannot be started or exits non-zero. */
export function runChild(run: ChildRun): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs: number | null = null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const child = spawn(run.command, [...run.args], {
      env: run.env ?? process.env,
      cwd: run.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      firstByteMs ??= performance.now() - started;
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result: ChildResult = {
        exitMs: performance.now() - started,
        firstByteMs,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (code === 0) resolve(result);
      else
        reject(
          new Error(
            `${run.command} ${run.args.join(' ')} exited with ${String(code)}: ${result.stderr.slice(0, 500)}`,
          ),
        );
    });
  });
}

/** Launch-to-exit time of `node <args>`, ms. */
export async function nodeExitMs(args: readonly string[], cwd?: string): Promise<number> {
  return (await runChild({ command: process.execPath, args, ...(cwd === undefined ? {} : { cwd }) })).exitMs;
}

/** Launch-to-first-stdout-byte time of `node <args>`, ms; rejects when the child writes nothing. */
export async function nodeFirstByteMs(args: readonly string[], cwd?: string): Promise<number> {
  const result = await runChild({ command: process.execPath, args, ...(cwd === undefined ? {} : { cwd }) });
  if (result.firstByteMs === null) throw new Error(`node ${args.join(' ')} wrote nothing to stdout`);
  return result.firstByteMs;
}
