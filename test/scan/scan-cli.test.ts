/** The scan's flags: parsed by cli/args.ts, documented in --help, honoured end to end by the CLI. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import { helpText } from '../../cli/help';
import { UsageError } from '../../cli/usage-error';
import { runCliCaptured } from '../cli/harness';
import { code, fakeKey, makeTree, removeTrees } from './fixture-tree';

describe('scan flags', () => {
  it('parses --fail-on, --all and --format sarif, adding fields only when given', () => {
    expect(parseArgs(['scan'])).toEqual({ kind: 'scan', dir: '.', format: 'table' });
    expect(parseArgs(['scan', 'src', '--fail-on', 'error', '--all', '--format=sarif'])).toEqual({
      kind: 'scan',
      dir: 'src',
      format: 'sarif',
      failOn: 'error',
      all: true,
    });
    expect(parseArgs(['scan', '--fail-on=none'])).toMatchObject({ failOn: 'none' });
  });

  it.each([
    [['scan', '--fail-on', 'warning'], /--fail-on must be one of: error, warn, info, none/],
    [['scan', '--fail-on'], /--fail-on must be one of/],
    [['scan', '--fail-on', 'info', '--fail-on', 'error'], /--fail-on is given twice/],
    [['scan', '--all=yes'], /--all takes no value/],
    [['scan', '--format', 'xml'], /--format for scan must be one of: table, json, sarif/],
    [['scan', '--bogus'], /unknown option "--bogus" for scan .*--fail-on.*--all/],
  ])('refuses %j', (argv, message) => {
    let thrown: unknown;
    try {
      parseArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('are documented in --help', () => {
    const help = helpText('0.0.0');
    for (const text of [
      '--fail-on LEVEL',
      'error | warn | info | none',
      '--all',
      'table | json | sarif',
      'docs/scan-rules.md',
    ])
      expect(help).toContain(text);
  });
});

describe('openrouter-audit scan end to end', () => {
  it('exits 0 under --fail-on error when only warnings are found, 1 by default', async () => {
    const dir = await makeTree({
      'src/chat.ts': code("await client.chat.completions.create%({ model: 'm', messages });\n"),
    });
    try {
      expect((await runCliCaptured(['scan', dir])).code).toBe(1);
      expect((await runCliCaptured(['scan', dir, '--fail-on', 'error'])).code).toBe(0);
      const sarif = await runCliCaptured(['scan', dir, '--format', 'sarif']);
      expect(JSON.parse(sarif.stdout).runs[0].results[0]).toMatchObject({
        ruleId: 'missing-max-tokens',
        level: 'warning',
      });
    } finally {
      await removeTrees();
    }
  });

  it('passes over a git-ignored .env, and reports it with --all', async () => {
    const dir = await makeTree({ '.gitignore': '.env\n', '.env': `OPENROUTER_API_KEY=${fakeKey()}\n` });
    try {
      execFileSync('git', ['init', '--quiet', dir], { stdio: 'ignore' });
      expect((await runCliCaptured(['scan', dir])).code).toBe(0);
      const all = await runCliCaptured(['scan', dir, '--all', '--format', 'json']);
      expect(all.code).toBe(1);
      expect(JSON.parse(all.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['env-file-key']);
      expect(all.stdout).not.toContain(fakeKey());
    } finally {
      await removeTrees();
    }
  });
});
