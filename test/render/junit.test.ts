import { describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from '../../lambda/render/junit';
import { auditResult, MIXED_CHECKS, passingResult } from './fixtures';
import { findAll, parseXml, type XmlElement } from './xml';

const testcase = (root: XmlElement, id: string): XmlElement | undefined =>
  findAll(root, 'testcase').find((t) => t.attributes.name === id);

describe('the XML checker used by these tests', () => {
  it.each([
    ['an unclosed tag', '<a><b></a>'],
    ['a raw ampersand', '<a>x & y</a>'],
    ['a raw < in an attribute', '<a b="<"/>'],
    ['a control character', '<a>\u0001</a>'],
    ['two roots', '<a/><b/>'],
  ])('rejects %s', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

describe('renderJunit', () => {
  it('is a well-formed document with one testsuite "openrouter-audit" and one testcase per check', () => {
    const root = parseXml(renderJunit(auditResult()));
    const suites = findAll(root, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0]?.attributes).toMatchObject({
      name: 'openrouter-audit',
      tests: '8',
      failures: '1',
      errors: '1',
      skipped: '1',
      time: '1.234',
      timestamp: '2025-01-15T09:30:00.000Z',
    });
    expect(findAll(root, 'testcase').map((t) => t.attributes.name)).toEqual(MIXED_CHECKS.map((c) => c.id));
  });

  it('reports a failed check as <failure> with the summary as message and the remedy in the body', () => {
    const credits = testcase(parseXml(renderJunit(auditResult())), 'credits');
    const [failure] = findAll(credits ?? parseXml('<x/>'), 'failure');
    expect(failure?.attributes.message).toBe('$2.50 left, under the $10 minimum');
    expect(failure?.text).toContain('Remedy: Buy credits');
    expect(failure?.text).toContain('"balanceUsd":2.5');
  });

  it.each([
    ['models', 'error'],
    ['spend', 'skipped'],
    ['key-limit', 'system-out'],
    ['auth', 'system-out'],
  ])('reports the %s check with a <%s> child', (id, child) => {
    const element = testcase(parseXml(renderJunit(auditResult())), id);
    expect(element?.children.map((c) => c.name)).toEqual([child]);
  });

  it('marks a warning as such in its output', () => {
    const element = testcase(parseXml(renderJunit(auditResult())), 'keys');
    expect(element?.children[0]?.text).toMatch(
      /^WARN: 2 of 5 keys have no credit limit\nRemedy: Give every key/,
    );
  });

  it('lets passing checks and warnings pass: no failure, error or skipped child', () => {
    const root = parseXml(renderJunit(auditResult()));
    for (const id of ['auth', 'key-age', 'test-request', 'key-limit', 'keys']) {
      const names = testcase(root, id)?.children.map((c) => c.name) ?? ['missing'];
      expect(
        names.filter((n) => n !== 'system-out'),
        id,
      ).toEqual([]);
    }
    const passing = parseXml(renderJunit(passingResult()));
    expect(findAll(passing, 'testsuite')[0]?.attributes).toMatchObject({
      failures: '0',
      errors: '0',
      skipped: '0',
    });
  });

  it('escapes <&"\' and replaces characters XML forbids, in attributes and in text', () => {
    const summary = `<tag attr="x" other='y'> & </tag>\u0000\u0007\u001b\ud800 end`;
    const xml = renderJunit(
      auditResult([
        { id: 'auth', status: 'fail', summary, remedy: 'a]]>b', values: { raw: summary }, durationMs: 3 },
      ]),
    );
    const failure = findAll(parseXml(xml), 'failure')[0];
    const expected = `<tag attr="x" other='y'> & </tag>\uFFFD\uFFFD\uFFFD\uFFFD end`;
    expect(failure?.attributes.message).toBe(expected);
    expect(failure?.text).toContain(expected);
    expect(xml).not.toContain(']]>');
  });

  it('keeps line breaks of an attribute as character references', () => {
    expect(escapeXml('a\nb')).toBe('a\nb');
    const xml = renderJunit(
      auditResult([{ id: 'auth', status: 'fail', summary: 'one\ntwo', values: {}, durationMs: 1 }]),
    );
    expect(xml).toContain('message="one&#10;two"');
    expect(findAll(parseXml(xml), 'failure')[0]?.attributes.message).toBe('one\ntwo');
  });
});
