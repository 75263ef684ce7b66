import type { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditorPropsError } from '../../lib/props-error';
import { asArray, buildAuditor, renderCfn, statementsOfRole, templateOf } from './support';

// Secrets given by name, encrypted with a customer managed key named by its ARN (prop or context).
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let template: Template;

beforeAll(() => {
  template = templateOf(
    buildAuditor({
      apiKeySecret: 'openrouter-auditor/api-key',
      slackWebhookSecret: 'openrouter-auditor/slack-webhook',
      secretsEncryptionKey: KEY_ARN,
    }),
  );
});

afterAll(() => {
  CloudAssembly.cleanupTemporaryDirectories();
});

describe('OpenRouterAuditor with secretsEncryptionKey', () => {
  it('grants kms:Decrypt on that key, only through Secrets Manager in the stack region', () => {
    const decrypt = statementsOfRole(template, 'AuditorFunctionRole').filter(
      (s) => s.Sid === 'DecryptSecretsViaSecretsManager',
    );
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0]?.Action).toBe('kms:Decrypt');
    expect(asArray(decrypt[0]?.Resource ?? []).map(renderCfn)).toEqual([KEY_ARN]);
    expect(decrypt[0]?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
  });

  it('refuses an alias or anything that is not a key ARN, naming the prop', () => {
    expect(() =>
      buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key', secretsEncryptionKey: 'alias/openrouter' }),
    ).toThrow(AuditorPropsError);
    expect(() =>
      buildAuditor({ apiKeySecret: 'openrouter-auditor/api-key', secretsEncryptionKey: 'alias/openrouter' }),
    ).toThrow(/secretsEncryptionKey: must be a KMS key ARN/);
  });
});
