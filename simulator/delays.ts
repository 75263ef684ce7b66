/**
 * Pending waits (injected latency) that close() can cancel at once, so that a closed simulator
 * leaves no timer holding the process open.
 */
export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  private cancelled = false;

  /** Resolves true after `ms`, or false if cancelled first. */
  wait(ms: number): Promise<boolean> {
    if (this.cancelled) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    this.cancelled = true;
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.pending.clear();
  }
}
