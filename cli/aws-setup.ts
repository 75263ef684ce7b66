import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * What stops any AWS call before it is sent: no region, or no credentials. The SDK's own errors for
 * these read "Region is missing" or a provider chain's story; this says what to set. Returns
 * undefined when both resolve (access denied and not found are the read's own answers).
 */
export async function awsSetupProblem(client: SecretsManagerClient): Promise<string | undefined> {
  try {
    await client.config.region();
  } catch {
    return 'no AWS region is set: set AWS_REGION (or AWS_PROFILE, for a profile that names a region)';
  }
  try {
    await client.config.credentials();
  } catch {
    return 'no AWS credentials were found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role (in GitHub Actions: aws-actions/configure-aws-credentials)';
  }
  return undefined;
}
