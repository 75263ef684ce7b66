/**
 * Settles with `work`, or rejects with the signal's reason as soon as the signal aborts, whichever
 * comes first. Every AWS SDK call passes the signal to `send` as `abortSignal` too (so the request
 * is torn down), but that alone is not a bound: a step before the HTTP handler (credentials,
 * endpoint resolution) or a handler that ignores the signal would still hang the invocation.
 */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  // A stand-in client may answer with a plain value; `await` took it, so must this.
  const work = Promise.resolve(pending);
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The reason as an Error with a telling name (`TimeoutError`, `AbortError`), whatever was aborted with. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** `send` options carrying the signal, when there is one. */
export const abortOptions = (signal: AbortSignal | undefined): { abortSignal?: AbortSignal } =>
  signal === undefined ? {} : { abortSignal: signal };
