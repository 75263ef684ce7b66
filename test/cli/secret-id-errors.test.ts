import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import { type AwsStandIn, startAwsStandIn } from '../e2e/aws-stand-in';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist', 'openrouter-audit.mjs');

let home: string;
let aws: AwsStandIn;

beforeAll(async () => {
  // An empty HOME: no ~/.aws/config or credentials file of the machine running the tests.
  home = await mkdtemp(join(tmpdir(), 'openrouter-audit-aws-home-'));
  aws = await startAwsStandIn({ secrets: {} });
});

afterAll(async () => {
  await aws.close();
  await rm(home, { recursive: true, force: true });
});

/** The built CLI with only the AWS environment given: nothing inherited, instance metadata off. */
function auditWithSecret(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, '--secret-id', 'prod/openrouter', '--format', 'json'],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

const authSummary = (stdout: string) =>
  (JSON.parse(stdout) as JsonReport).checks.find((c) => c.id === 'auth')?.summary ?? '';

const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

describe('--secret-id says what is missing, without SDK noise on stderr', () => {
  it.each([
    ['no region', {}, /secret "prod\/openrouter" cannot be read: no AWS region is set: set AWS_REGION/],
    [
      'no credentials',
      { AWS_REGION: 'eu-west-1' },
      /cannot be read: no AWS credentials were found: set AWS_PROFILE/,
    ],
    [
      'the secret does not exist',
      { AWS_REGION: 'eu-west-1', ...credentials, ENDPOINT: 'stand-in' },
      /secret "prod\/openrouter" was not found \(ResourceNotFoundException\)/,
    ],
    [
      'access is denied',
      { AWS_REGION: 'eu-west-1', ...credentials, ENDPOINT: 'stand-in', DENY: 'yes' },
      /reading secret "prod\/openrouter" was denied \(AccessDeniedException\): grant secretsmanager:GetSecretValue/,
    ],
  ])('%s', async (_case, given, expected) => {
    const { ENDPOINT, DENY, ...env } = given as Record<string, string>;
    if (DENY !== undefined) aws.failNext('secretsmanager', 'GetSecretValue', 'AccessDeniedException', 10);
    const { code, stdout, stderr } = await auditWithSecret({
      ...env,
      ...(ENDPOINT === undefined ? {} : { AWS_ENDPOINT_URL: aws.url, AWS_MAX_ATTEMPTS: '1' }),
    });
    expect(authSummary(stdout)).toMatch(expected);
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});
