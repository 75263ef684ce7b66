/**
 * The error `promise` rejects with, checked to be a `type`: a test then asserts on its fields.
 * Fails, keeping the real outcome, when the promise resolves or rejects with anything else.
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`expected a ${type.name}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a ${type.name}, but the promise resolved`);
}
