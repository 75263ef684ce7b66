import { afterEach, describe, expect, it } from 'vitest';
import { parseSuppressions, runScan, type ScanReport, scanRepository } from '../../cli/scan/index';
import { code, type FixtureEntry, fakeKey, makeTree, removeTrees } from './fixture-tree';

afterEach(removeTrees);

const KEY = fakeKey();
/** A plain-http OpenRouter URL, built at run time so that this file scans clean. */
const URL = code('http:%//openrouter.ai/api/v1');
const at = (report: ScanReport) => report.findings.map(({ rule, file, line }) => ({ rule, file, line }));

async function scan(files: Readonly<Record<string, FixtureEntry>>): Promise<ScanReport> {
  return scanRepository(await makeTree(files));
}

const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

describe('parseSuppressions', () => {
  it.each([
    ['// openrouter-audit-ignore', [{ scope: 'line', rules: undefined }]],
    ['# openrouter-audit-ignore-next-line', [{ scope: 'next-line', rules: undefined }]],
    [
      '// openrouter-audit-ignore-next-line: missing-max-tokens, insecure-url -- exercises the 402 path',
      [{ scope: 'next-line', rules: ['missing-max-tokens', 'insecure-url'] }],
    ],
    [
      '/* openrouter-audit-ignore:insecure-url,missing-max-tokens */',
      [{ scope: 'line', rules: ['insecure-url', 'missing-max-tokens'] }],
    ],
    [
      '<!-- openrouter-audit-ignore-next-line: insecure-url -->',
      [{ scope: 'next-line', rules: ['insecure-url'] }],
    ],
    ['<!--openrouter-audit-ignore-next-line-->', [{ scope: 'next-line', rules: undefined }]],
    ['// openrouter-audit-ignore -- a reason: with a colon', [{ scope: 'line', rules: undefined }]],
    ['// openrouter-audit-ignore: -- an empty list', [{ scope: 'line', rules: undefined }]],
    ['// openrouter-audit-ignore: insecure-urls', [{ scope: 'line', rules: ['insecure-urls'] }]],
    ['// openrouter-audit-ignored', []],
    ['// openrouter-audit-ignore-next-lines', []],
    ['// eslint-disable-line', []],
  ])('reads %j', (line, expected) => {
    expect(parseSuppressions(line)).toEqual(expected);
  });
});

describe('suppression comments', () => {
  it.each([
    ['on the same line', lines(`const u = '${URL}'; // openrouter-audit-ignore`), [], 1],
    ['on the line before', lines('// openrouter-audit-ignore-next-line', `const u = '${URL}';`), [], 1],
    [
      'with a reason',
      lines(`const u = '${URL}'; // openrouter-audit-ignore -- tests the refusal of plain http`),
      [],
      1,
    ],
    [
      'a next-line comment on the finding’s own line',
      lines(`const u = '${URL}'; // openrouter-audit-ignore-next-line`),
      [1],
      0,
    ],
    [
      'a same-line comment on the line before',
      lines('// openrouter-audit-ignore', `const u = '${URL}';`),
      [2],
      0,
    ],
    [
      'a next-line comment two lines before',
      lines('// openrouter-audit-ignore-next-line', '', `const u = '${URL}';`),
      [3],
      0,
    ],
    ['a misspelt marker', lines(`const u = '${URL}'; // openrouter-audit-ignored`), [1], 0],
  ])('%s: leaves lines %j, suppresses %i', async (_, text, expected, suppressed) => {
    const report = await scan({ 'src/a.ts': text });
    expect(report.findings.map((f) => f.line)).toEqual(expected);
    expect(report.suppressed).toBe(suppressed);
    expect(report.notes).toEqual([]);
  });

  it.each([
    ['the only rule listed', 'openrouter-audit-ignore: insecure-url -- fixture', []],
    ['one of two rules listed', 'openrouter-audit-ignore: missing-max-tokens, insecure-url', []],
    ['a list without spaces', 'openrouter-audit-ignore:missing-max-tokens,insecure-url', []],
    ['a list naming another rule', 'openrouter-audit-ignore: missing-max-tokens -- not this one', [1]],
  ])('a rule list: %s', async (_, comment, expected) => {
    const report = await scan({ 'src/a.ts': lines(`const u = '${URL}'; // ${comment}`) });
    expect(report.findings.map((f) => f.line)).toEqual(expected);
    expect(report.suppressed).toBe(1 - expected.length);
  });

  it('silences only the listed rule when a line has findings of two rules', async () => {
    const call = code(`await client.chat.completions.create%({ model: 'm', messages, baseURL: '${URL}' });`);
    const listed = await scan({ 'src/a.ts': lines(`${call} // openrouter-audit-ignore: insecure-url`) });
    // One model and no fallback list, at an OpenRouter URL: no-fallback (info) stands too.
    expect(at(listed)).toEqual([
      { rule: 'missing-max-tokens', file: 'src/a.ts', line: 1 },
      { rule: 'no-fallback', file: 'src/a.ts', line: 1 },
    ]);
    expect(listed.suppressed).toBe(1);

    const all = await scan({ 'src/a.ts': lines(`${call} // openrouter-audit-ignore`) });
    expect(all.findings).toEqual([]);
    expect(all.suppressed).toBe(3);
  });

  it.each([
    [
      '// on a TypeScript line',
      'src/a.ts',
      lines(`const u = '${URL}'; // openrouter-audit-ignore: insecure-url`),
    ],
    [
      '# before a Python line',
      'app/a.py',
      lines('# openrouter-audit-ignore-next-line: insecure-url -- fixture', `BASE = "${URL}"`),
    ],
    ['# on a YAML line', 'deploy/values.yaml', lines(`base: ${URL} # openrouter-audit-ignore`)],
    [
      '/* */ on the same line',
      'src/a.js',
      lines(`const u = '${URL}'; /* openrouter-audit-ignore: insecure-url */`),
    ],
    [
      '/* */ on the line before',
      'src/a.ts',
      lines('/* openrouter-audit-ignore-next-line: insecure-url -- fixture */', `const u = '${URL}';`),
    ],
    [
      'a JSX comment on the line before',
      'src/a.tsx',
      lines('{/* openrouter-audit-ignore-next-line */}', `<a href="${URL}">docs</a>`),
    ],
    [
      '<!-- --> before a Markdown line',
      'docs/setup.md',
      lines(
        '<!-- openrouter-audit-ignore-next-line: insecure-url -- documents the refusal -->',
        `    curl ${URL}/models`,
      ),
    ],
    [
      '<!-- --> closing right after the marker',
      'docs/a.html',
      lines(`<a href="${URL}">x</a><!--openrouter-audit-ignore-->`),
    ],
  ])('works as %s', async (_, path, text) => {
    const report = await scan({ [path]: text });
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toBe(1);
  });
});

describe('suppressing missing-max-tokens', () => {
  const call = (first: string) =>
    code(lines(`await client.chat.completions.create%({${first}`, "  model: 'm',", '  messages,', '});'));

  it.each([
    [
      'on the line where the call starts',
      call(' // openrouter-audit-ignore: missing-max-tokens -- exercises the 402 path'),
      [],
    ],
    [
      'on the line before the call',
      `// openrouter-audit-ignore-next-line: missing-max-tokens\n${call('')}`,
      [],
    ],
    [
      'not inside the arguments',
      code(
        lines(
          'await client.chat.completions.create%({',
          "  model: 'm', // openrouter-audit-ignore: missing-max-tokens",
          '  messages,',
          '});',
        ),
      ),
      [1],
    ],
  ])('counts a suppression %s', async (_, text, expected) => {
    const report = await scan({ 'src/chat.ts': text });
    expect(report.findings.map((f) => f.line)).toEqual(expected);
  });
});

describe('key findings', () => {
  it.each([
    [
      'a hard-coded key with a same-line comment',
      { 'src/a.ts': lines(`export const KEY = '${KEY}'; // openrouter-audit-ignore -- test fixture`) },
      { rule: 'hardcoded-key', file: 'src/a.ts', line: 1 },
    ],
    [
      'a hard-coded key with a next-line comment naming its rule',
      {
        'src/a.ts': lines(
          '// openrouter-audit-ignore-next-line: hardcoded-key',
          `export const KEY = '${KEY}';`,
        ),
      },
      { rule: 'hardcoded-key', file: 'src/a.ts', line: 2 },
    ],
    [
      'a key in a committed .env file',
      { '.env': lines('# openrouter-audit-ignore-next-line -- local only', `OPENROUTER_API_KEY=${KEY}`) },
      { rule: 'env-file-key', file: '.env', line: 2 },
    ],
  ])('cannot be suppressed: %s stays, with a note saying why', async (_, files, finding) => {
    const report = await scan(files);
    expect(at(report)).toEqual([finding]);
    expect(report.suppressed).toBe(0);
    expect(report.notes).toEqual([
      {
        file: finding.file,
        line: finding.line,
        message: expect.stringMatching(
          new RegExp(`^a suppression comment cannot silence ${finding.rule}, so the finding stands: .*never`),
        ),
      },
    ]);
  });

  it('stay on a line whose other findings the comment silences', async () => {
    const report = await scan({
      'src/a.ts': lines(`export const A = ['${KEY}', '${URL}']; // openrouter-audit-ignore`),
    });
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'src/a.ts', line: 1 }]);
    expect(report.suppressed).toBe(1);
    expect(report.notes).toHaveLength(1);
  });

  it('give no note when the comment names other rules only', async () => {
    const report = await scan({
      'src/a.ts': lines(`export const A = ['${KEY}', '${URL}']; // openrouter-audit-ignore: insecure-url`),
    });
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'src/a.ts', line: 1 }]);
    expect(report.suppressed).toBe(1);
    expect(report.notes).toEqual([]);
  });
});

describe('suppression notes', () => {
  it('name an unknown rule in a comment next to a finding, which then stays', async () => {
    const report = await scan({
      'src/a.ts': lines(`const u = '${URL}'; // openrouter-audit-ignore: insecure-urls`),
    });
    expect(report.findings.map((f) => f.line)).toEqual([1]);
    expect(report.notes).toEqual([
      {
        file: 'src/a.ts',
        line: 1,
        message: expect.stringContaining('unknown rule "insecure-urls"'),
      },
    ]);
  });

  it('mask a key written as a rule name', async () => {
    const report = await scan({
      'src/a.ts': lines(`// openrouter-audit-ignore-next-line: ${KEY}`, `const u = '${URL}';`),
    });
    expect(report.notes).toEqual([
      { file: 'src/a.ts', line: 1, message: expect.stringContaining('unknown rule "sk-or-v1-aba...bab"') },
    ]);
    expect(JSON.stringify(report)).not.toContain(KEY);
    expect(JSON.stringify(report)).not.toContain('abababab');
  });

  it('are not made for comments that stand beside no finding', async () => {
    const report = await scan({
      'src/a.ts': lines('// openrouter-audit-ignore: no-such-rule', "const u = 'https://openrouter.ai';"),
    });
    expect(report).toMatchObject({ findings: [], suppressed: 0, notes: [] });
  });
});

describe('the suppressed count in the report', () => {
  const allSuppressed = {
    'src/a.ts': lines(`const u = '${URL}'; // openrouter-audit-ignore: insecure-url -- fixture`),
    'docs/a.md': lines('<!-- openrouter-audit-ignore-next-line -->', `curl ${URL}/models`),
  };

  it('exits 0 and counts them in the JSON, after filesSkipped, when every finding is suppressed', async () => {
    const out = await runScan({ dir: await makeTree(allSuppressed), format: 'json' });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ ok: true, filesScanned: 2, suppressed: 2, findings: [] });
    const keys = Object.keys(json);
    expect(keys.indexOf('suppressed')).toBe(keys.indexOf('filesSkipped') + 1);
  });

  it('exits 0 and prints a line for them in the table', async () => {
    const out = await runScan({ dir: await makeTree(allSuppressed) });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(
      /^Suppressed: 2 findings silenced by openrouter-audit-ignore comments \(not listed, not failing the scan\)\.$/m,
    );
    expect(out.stdout).toMatch(/^No findings: 2 files scanned in \d+ ms\.$/m);
    expect(out.stdout).not.toContain('RULE');
  });

  it('prints no suppressed line when nothing was suppressed', async () => {
    const out = await runScan({ dir: await makeTree({ 'a.ts': 'export {};\n' }) });
    expect(out.stdout).not.toContain('Suppressed');
  });

  it('still exits 1 on a key under a suppression comment, and says why in both formats', async () => {
    const dir = await makeTree({
      ...allSuppressed,
      'src/key.ts': lines(`export const KEY = '${KEY}'; // openrouter-audit-ignore`),
    });
    const json = await runScan({ dir, format: 'json' });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, suppressed: 2 });
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^src\/key\.ts:1: a suppression comment cannot silence hardcoded-key/),
    );
    const table = await runScan({ dir });
    expect(table.exitCode).toBe(1);
    expect(table.stdout).toMatch(/^hardcoded-key\s+error\s+src\/key\.ts:1:21/m);
    expect(table.stdout).toMatch(
      /^Note: src\/key\.ts:1: a suppression comment cannot silence hardcoded-key/m,
    );
    expect(table.stdout).toMatch(/^Suppressed: 2 findings/m);
    expect(json.stdout + table.stdout).not.toContain(KEY);
  });
});
