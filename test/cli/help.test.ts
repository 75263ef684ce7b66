import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../lambda/render/report';
import { SCENARIOS } from '../../simulator/types';
import { KEY_SHAPED, runCliCaptured } from './harness';

describe('openrouter-audit --help', () => {
  it('documents usage, every flag, the environment variables, exit codes and examples, and exits 0', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const text of [
      'Usage:',
      'scan [DIR]',
      '--base-url URL',
      '--config FILE',
      '--format FORMAT',
      '--timeout MS',
      '--simulate [SCENARIO]',
      '--secret-id ID',
      '--management-secret-id ID',
      '--preview-alert',
      '--output FILE',
      '-h, --help',
      '--version',
      'OPENROUTER_API_KEY',
      'OPENROUTER_MANAGEMENT_KEY',
      'OPENROUTER_BASE_URL',
      'NO_COLOR',
      'Exit codes:',
      'Examples:',
      '$OPENROUTER_API_KEY',
      ...REPORT_FORMATS,
      ...SCENARIOS,
    ]) {
      expect(stdout, text).toContain(text);
    }
  });

  it('prints no key-shaped string, not even in examples', async () => {
    const { stdout } = await runCliCaptured(['--help'], {
      env: { OPENROUTER_API_KEY: `sk-or-v1-${'ab'.repeat(32)}` },
    });
    expect(stdout).not.toMatch(KEY_SHAPED);
    expect(stdout).not.toContain('abababab');
  });

  it('prints the package version for --version', async () => {
    const { code, stdout } = await runCliCaptured(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });
});
