import { type Fault, ROUTES, type RouteName } from './types';

/** Routes whose requests name a model a fault can be limited to. */
const MODEL_ROUTES: ReadonlySet<RouteName> = new Set(['chat', 'endpoints']);

function assertInteger(value: number, name: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`fault ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** Rejects a fault the simulator could not play, with a message naming the field. */
export function validateFault(route: RouteName, fault: Fault): void {
  if (!ROUTES.includes(route))
    throw new RangeError(`unknown route "${String(route)}"; routes: ${ROUTES.join(', ')}`);
  if (fault.times !== undefined) assertInteger(fault.times, 'times', 1, Number.MAX_SAFE_INTEGER);
  if (fault.latencyMs !== undefined) assertInteger(fault.latencyMs, 'latencyMs', 0, 3_600_000);
  if (fault.model !== undefined && !MODEL_ROUTES.has(route)) {
    throw new RangeError(`fault model applies only to the chat and endpoints routes, not "${route}"`);
  }
  switch (fault.kind) {
    case 'status':
    case 'html':
    case 'echo-key':
      assertInteger(fault.status, 'status', 100, 599);
      break;
    case 'json':
      if (fault.status !== undefined) assertInteger(fault.status, 'status', 100, 599);
      break;
    case 'error-in-200':
      if (fault.code !== undefined) assertInteger(fault.code, 'code', 100, 599);
      break;
    case 'huge-body':
      assertInteger(fault.bytes, 'bytes', 0, 2 ** 40);
      break;
    case 'hang':
    case 'stall-mid-body':
    case 'reset':
    case 'malformed-json':
    case 'empty-body':
    case 'leading-whitespace':
      break;
    default: {
      const unknown: never = fault;
      throw new RangeError(`unknown fault kind ${JSON.stringify(unknown)}`);
    }
  }
}

interface QueuedFault {
  readonly fault: Fault;
  /** Requests it still applies to; Infinity until cleared. */
  remaining: number;
}

/** Faults queued per route; the first one matching a request applies and uses up one of its `times`. */
export class FaultBook {
  private readonly queues = new Map<RouteName, QueuedFault[]>();

  add(route: RouteName, fault: Fault): void {
    validateFault(route, fault);
    const queue = this.queues.get(route) ?? [];
    queue.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    this.queues.set(route, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /**
   * The fault for this request, if any; `subject` is the model a chat or endpoints request names,
   * `key` which of the simulator's keys the request carries (if either).
   */
  take(route: RouteName, subject: string | undefined, key?: 'api' | 'management'): Fault | undefined {
    const queue = this.queues.get(route);
    if (queue === undefined) return undefined;
    const index = queue.findIndex(
      (entry) =>
        (entry.fault.model === undefined || entry.fault.model === subject) &&
        (entry.fault.key === undefined || entry.fault.key === key),
    );
    const entry = queue[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) queue.splice(index, 1);
    return entry.fault;
  }
}
