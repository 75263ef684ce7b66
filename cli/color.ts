import type { CliIo } from './io';

/**
 * Colour only for a person at a terminal: stdout must be a TTY, `NO_COLOR` must be unset or empty
 * (https://no-color.org) and the terminal must not be `dumb`.
 */
export function shouldUseColor(io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  if (!io.isTTY) return false;
  if ((io.env.NO_COLOR ?? '') !== '') return false;
  return io.env.TERM !== 'dumb';
}
