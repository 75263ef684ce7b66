import { describe, expect, it } from 'vitest';
import { ObjectReader, ShapeError, toNumber } from '../../lambda/openrouter/json-readers';

describe('ObjectReader booleans', () => {
  const reader = ObjectReader.of({ t: true, f: false, ts: 'true', fs: 'false', yes: 'yes', n: 0 }, 'data');

  it('reads booleans and their string forms', () => {
    expect([reader.boolean('t'), reader.boolean('f'), reader.boolean('ts'), reader.boolean('fs')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect([reader.optBoolean('ts'), reader.optBoolean('fs')]).toEqual([true, false]);
  });

  it('reads anything else as no boolean, naming the field when it is required', () => {
    expect([reader.optBoolean('yes'), reader.optBoolean('n'), reader.optBoolean('missing')]).toEqual([
      null,
      null,
      null,
    ]);
    expect(() => reader.boolean('yes')).toThrow(new ShapeError('data.yes', 'a boolean'));
  });
});

describe('toNumber', () => {
  it.each([
    [5, 5],
    ['0.25', 0.25],
    [' 1e3 ', 1000],
    ['-.5', -0.5],
    [Number.POSITIVE_INFINITY, null],
    [Number.NaN, null],
    ['1e999', null],
    ['12abc', null],
    ['', null],
    [null, null],
    [true, null],
  ])('reads %j as %j', (value, expected) => {
    expect(toNumber(value)).toBe(expected);
  });
});
