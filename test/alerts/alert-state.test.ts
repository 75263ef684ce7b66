import { describe, expect, it } from 'vitest';
import { MAX_STATE_BYTES, parseAlertState, serializeAlertState } from '../../lambda/alerts/alert-state';
import { isAlertError } from '../../lambda/alerts/errors';
import { storedState, T0 } from './fixtures';

function corruptCode(text: string): string | undefined {
  try {
    parseAlertState(text);
  } catch (error) {
    return isAlertError(error) ? error.code : 'not an AlertError';
  }
  return undefined;
}

describe('alert state', () => {
  it('round-trips through its stored form', () => {
    const state = storedState({ credits: { status: 'fail', lastAlertAt: null } });

    expect(parseAlertState(serializeAlertState(state))).toEqual(state);
  });

  it.each(['', '   ', '{}', ' {} '])('reads %j as an empty store', (text) => {
    expect(parseAlertState(text)).toBeNull();
  });

  it.each([
    { case: 'not JSON', text: '{"version":1,' },
    { case: 'an array', text: '[]' },
    { case: 'a string', text: '"state"' },
    { case: 'another version', text: JSON.stringify({ ...storedState(), version: 2 }) },
    {
      case: 'an unknown status',
      text: JSON.stringify(storedState()).replace('"status":"pass"', '"status":"broken"'),
    },
    { case: 'a non-ISO since', text: JSON.stringify(storedState({ credits: { since: 'yesterday' } })) },
    {
      case: 'no deploymentId',
      text: JSON.stringify({ version: 1, updatedAt: T0.toISOString(), checks: {} }),
    },
  ])('rejects $case as STATE_CORRUPT', ({ text }) => {
    expect(corruptCode(text)).toBe('STATE_CORRUPT');
  });

  it('drops check ids it does not know (a state written by a newer version)', () => {
    const state = storedState();
    const text = JSON.stringify({
      ...state,
      checks: {
        ...state.checks,
        'future-check': { status: 'fail', since: T0.toISOString(), lastAlertAt: null },
      },
    });

    expect(parseAlertState(text)).toEqual(state);
  });

  it('stays well inside the standard parameter size with every check failing', () => {
    const all = storedState(
      Object.fromEntries(
        ['auth', 'key-limit', 'credits', 'key-age', 'models', 'test-request', 'spend', 'keys'].map((id) => [
          id,
          { status: 'error' },
        ]),
      ),
      { deploymentId: 'd'.repeat(64) },
    );

    expect(Buffer.byteLength(serializeAlertState(all))).toBeLessThan(MAX_STATE_BYTES / 2);
  });

  it('refuses to serialize a state over the standard parameter size', () => {
    const huge = storedState({}, { deploymentId: 'x'.repeat(MAX_STATE_BYTES) });

    expect(() => serializeAlertState(huge)).toThrow(expect.objectContaining({ code: 'STATE_TOO_LARGE' }));
  });
});
