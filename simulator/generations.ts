import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `gen-<unix seconds>-<20 alphanumerics>`, the shape of real generation ids. */
export function generationId(now: Date): string {
  const bytes = randomBytes(20);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return `gen-${Math.floor(now.getTime() / 1000)}-${suffix}`;
}

interface StoredGeneration {
  /** Clock time (ms) from which `/generation` answers. */
  readonly readyAt: number;
  readonly body: string;
}

/** Generations kept for `/generation`; the oldest are forgotten past this many. */
const MAX_GENERATIONS = 10_000;

/** Completed generations and the time each becomes readable, on the simulator's clock. */
export class GenerationStore {
  private readonly generations = new Map<string, StoredGeneration>();

  add(id: string, readyAt: number, data: Readonly<Record<string, unknown>>): void {
    if (this.generations.size >= MAX_GENERATIONS) {
      const oldest = this.generations.keys().next();
      if (oldest.done !== true) this.generations.delete(oldest.value);
    }
    this.generations.set(id, { readyAt, body: JSON.stringify({ data }) });
  }

  /** The `/generation` body, or undefined while unknown or not yet readable. */
  lookup(id: string, now: number): string | undefined {
    const generation = this.generations.get(id);
    if (generation === undefined || now < generation.readyAt) return undefined;
    return generation.body;
  }
}
