import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args';
import { UsageError } from '../../cli/usage-error';
import { SCENARIOS } from '../../simulator/types';

const usageMessage = (argv: string[]): string => {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`parseArgs accepted ${JSON.stringify(argv)}`);
};

describe('parseArgs', () => {
  it('defaults to an audit in table format with the 25 s deadline', () => {
    expect(parseArgs([])).toEqual({ kind: 'audit', format: 'table', timeoutMs: 25_000, previewAlert: false });
    expect(parseArgs(['audit'])).toEqual(parseArgs([]));
  });

  it('reads every audit flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs([
        '--base-url',
        'https://example.test/api/v1',
        '--config=audit.json',
        '--format',
        'junit',
        '--timeout=5000',
        '--secret-id',
        'prod/openrouter',
        '--management-secret-id=prod/openrouter-mgmt',
        '--preview-alert',
        '--output',
        'report.xml',
      ]),
    ).toEqual({
      kind: 'audit',
      baseUrl: 'https://example.test/api/v1',
      configFile: 'audit.json',
      format: 'junit',
      timeoutMs: 5000,
      secretId: 'prod/openrouter',
      managementSecretId: 'prod/openrouter-mgmt',
      previewAlert: true,
      output: 'report.xml',
    });
  });

  it.each([
    [['--simulate'], 'healthy'],
    [['--simulate', 'low-credits'], 'low-credits'],
    [['--simulate=old-key'], 'old-key'],
    [['--simulate', '--format', 'json'], 'healthy'],
  ])('reads %j as the %s scenario', (argv, scenario) => {
    expect(parseArgs(argv)).toMatchObject({ kind: 'audit', simulate: scenario });
  });

  it('accepts every simulator scenario', () => {
    for (const scenario of SCENARIOS)
      expect(parseArgs(['--simulate', scenario])).toMatchObject({ simulate: scenario });
  });

  it.each([[['--help']], [['-h']], [['--simulate', 'nope', '--help']], [['scan', '--help']], [['help']]])(
    'shows help for %j',
    (argv) => {
      expect(parseArgs(argv)).toEqual({ kind: 'help' });
    },
  );

  it('prints the version for --version', () => {
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('parses scan with a directory and a format', () => {
    expect(parseArgs(['scan'])).toEqual({ kind: 'scan', dir: '.', format: 'table' });
    expect(parseArgs(['scan', 'src', '--format', 'json'])).toEqual({
      kind: 'scan',
      dir: 'src',
      format: 'json',
    });
    expect(parseArgs(['scan', '--format=json', '--', '-odd-dir'])).toEqual({
      kind: 'scan',
      dir: '-odd-dir',
      format: 'json',
    });
  });

  it.each([
    [['--bogus'], /unknown option "--bogus"/],
    [['-x'], /unknown option "-x"/],
    [['stray'], /unexpected argument "stray"/],
    [['--format', 'xml'], /--format must be one of: table, json, markdown, junit/],
    [['--format'], /--format needs a value/],
    [['--timeout', '0'], /--timeout must be a whole number of milliseconds from 1 to 600000/],
    [['--timeout', '-5'], /--timeout must be a whole number/],
    [['--timeout', '1.5'], /--timeout must be a whole number/],
    [['--timeout', '9999999'], /--timeout must be a whole number/],
    [['--config', ''], /--config needs a non-empty value/],
    [['--format', 'json', '--format', 'table'], /--format is given twice/],
    [['--simulate', 'nope'], /unknown scenario "nope"; valid scenarios: healthy, no-key-limit, low-credits/],
    [['--simulate', '--base-url', 'http://127.0.0.1:1'], /--base-url cannot be combined with --simulate/],
    [['--simulate', '--secret-id', 'x'], /--secret-id cannot be combined with --simulate/],
    [['--preview-alert=yes'], /--preview-alert takes no value/],
    [['scan', 'a', 'b'], /scan takes one directory/],
    [['scan', '--timeout', '5'], /unknown option "--timeout" for scan/],
    [['scan', '--format', 'junit'], /--format for scan must be one of: table, json/],
  ])('refuses %j', (argv, message) => {
    expect(usageMessage(argv)).toMatch(message);
  });

  it.each([['--api-key'], ['--management-key'], ['--key'], ['--apiKey'], ['--openrouter-api-key']])(
    'refuses %s, pointing to the environment variable, without repeating the value',
    (flag) => {
      const value = `sk-or-v1-${'0f'.repeat(32)}`;
      for (const argv of [[flag, value], [`${flag}=${value}`]]) {
        const message = usageMessage(argv);
        expect(message).toContain('OPENROUTER_API_KEY');
        expect(message).not.toContain(value.slice(9, 20));
      }
    },
  );

  it('shortens a long unexpected argument so a pasted key is not echoed whole', () => {
    const value = `sk-or-v1-${'0f'.repeat(32)}`;
    expect(usageMessage([value])).not.toContain(value);
  });
});
