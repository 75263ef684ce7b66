/**
 * Bad usage or bad configuration: the CLI prints the message as one line on stderr and exits 2.
 * Messages name the flag or field and what is allowed; they never repeat a value that could be a key.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
