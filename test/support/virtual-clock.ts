import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Timers } from '../../lambda/timers';

/**
 * Time for a Lambda run that passes only when the test says so: the run's deadlines
 * (`signalAfter`) and its remaining time are both read from this clock, so a test of "finishes
 * before its timeout, whatever hangs" measures virtual milliseconds and never waits on the wall
 * clock or depends on the machine's speed.
 */
export class VirtualClock implements Timers {
  #now = 0;
  readonly #pending: { at: number; controller: AbortController }[] = [];

  /** Virtual milliseconds since the invocation started. */
  get now(): number {
    return this.#now;
  }

  signalAfter(ms: number): AbortSignal {
    const controller = new AbortController();
    this.#pending.push({ at: this.#now + ms, controller });
    return controller.signal;
  }

  /** A Lambda context's `getRemainingTimeInMillis` for a function with this timeout. */
  remaining(timeoutMs: number): () => number {
    return () => timeoutMs - this.#now;
  }

  /** Moves to the earliest pending deadline and fires it; false when none is pending. */
  fireNext(): boolean {
    this.#pending.sort((a, b) => a.at - b.at);
    const next = this.#pending.shift();
    if (next === undefined) return false;
    this.#now = Math.max(this.#now, next.at);
    next.controller.abort(new DOMException(`virtual deadline at ${next.at} ms`, 'TimeoutError'));
    return true;
  }
}

/** Lets every ready callback, promise and I/O event run (a few turns of the event loop). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await nextTurn();
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 20; i++) await nextTurn();
}

/**
 * Runs `work` to its end, moving the clock to the next deadline each time nothing else moves. A
 * deadline fired early on a slow machine only makes the run's steps time out sooner, which every
 * assertion about bounds must tolerate anyway; the virtual end time never exceeds the deadlines.
 * Fails when the run still waits after every deadline fired: something it awaits is unbounded.
 */
export async function runInVirtualTime<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => {});
  let idleRounds = 0;
  while (!settled) {
    await settle();
    if (settled) break;
    if (clock.fireNext()) continue;
    idleRounds += 1;
    // Real I/O on 127.0.0.1 (a refused or reset socket) may still be settling; give it a while.
    if (idleRounds > 200)
      throw new Error('the run still waits after every deadline fired: an unbounded wait');
  }
  return done;
}
