import type { CliIo } from './io';

/** Environment variables the CLI reads its keys from: keys are never accepted as flags. */
export const KEY_ENV = {
  apiKey: 'OPENROUTER_API_KEY',
  managementKey: 'OPENROUTER_MANAGEMENT_KEY',
} as const;

/** The keys to audit with, or why each is missing, shaped for AuditDeps. */
export interface ResolvedKeys {
  readonly apiKey?: string;
  readonly managementKey?: string;
  readonly apiKeyProblem?: string;
  readonly managementKeyProblem?: string;
  readonly keyCreatedAt?: { readonly date: Date; readonly source: string };
}

export interface KeySources {
  readonly secretId?: string;
  readonly managementSecretId?: string;
}

export interface ResolveOptions {
  /** Ends the Secrets Manager reads (`--timeout`): a hung read becomes a key problem, not a hang. */
  readonly signal?: AbortSignal;
}

const envKey = (io: Pick<CliIo, 'env'>, name: string): string | undefined => {
  const value = io.env[name]?.trim();
  return value ? value : undefined;
};

/**
 * Keys from Secrets Manager when a secret id is given (the AWS SDK is imported only then), else
 * from the environment. A missing API key is not a usage error: the audit runs and `auth` fails
 * saying why, so CI sees the same verdict shape either way.
 */
export async function resolveKeys(
  sources: KeySources,
  io: Pick<CliIo, 'env'>,
  options: ResolveOptions = {},
): Promise<ResolvedKeys> {
  const envApiKey = envKey(io, KEY_ENV.apiKey);
  const envManagementKey = envKey(io, KEY_ENV.managementKey);
  if (sources.secretId === undefined && sources.managementSecretId === undefined) {
    return {
      ...(envApiKey === undefined
        ? { apiKeyProblem: `${KEY_ENV.apiKey} is not set` }
        : { apiKey: envApiKey }),
      ...(envManagementKey === undefined ? {} : { managementKey: envManagementKey }),
    };
  }

  const [{ SecretsManagerClient }, { loadKeys, secretSource }, { awsSetupProblem }] = await Promise.all([
    import('@aws-sdk/client-secrets-manager'),
    import('../lambda/aws/secrets'),
    import('./aws-setup'),
  ]);
  const client = new SecretsManagerClient({});
  try {
    const setupProblem = await awsSetupProblem(client);
    if (setupProblem !== undefined)
      return unreadableSecrets(sources, setupProblem, envApiKey, envManagementKey);
    const loaded = await loadKeys(
      secretSource(client, { cacheTtlMs: 0 }),
      {
        ...(sources.secretId === undefined ? {} : { apiKeySecretId: sources.secretId }),
        ...(sources.managementSecretId === undefined
          ? {}
          : { managementKeySecretId: sources.managementSecretId }),
      },
      options.signal === undefined ? {} : { signal: options.signal },
    );
    const apiKey = sources.secretId === undefined ? envApiKey : loaded.apiKey;
    const apiKeyProblem =
      sources.secretId === undefined
        ? envApiKey === undefined
          ? `${KEY_ENV.apiKey} is not set`
          : undefined
        : loaded.apiKeyProblem;
    // A management key from a secret (its own, or the API key secret's JSON) wins over the environment.
    const managementKey =
      loaded.managementKey ?? (loaded.managementKeyProblem === undefined ? envManagementKey : undefined);
    return {
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(apiKeyProblem === undefined ? {} : { apiKeyProblem }),
      ...(managementKey === undefined ? {} : { managementKey }),
      ...(loaded.managementKeyProblem === undefined
        ? {}
        : { managementKeyProblem: loaded.managementKeyProblem }),
      ...(loaded.apiKeyCreatedAt === undefined || sources.secretId === undefined
        ? {}
        : {
            keyCreatedAt: {
              date: loaded.apiKeyCreatedAt,
              source: `secret "${sources.secretId}" (the date its current value was stored)`,
            },
          }),
    };
  } finally {
    client.destroy();
  }
}

/** Keys when the secrets cannot be read at all: each secret given names the one problem. */
function unreadableSecrets(
  sources: KeySources,
  problem: string,
  envApiKey: string | undefined,
  envManagementKey: string | undefined,
): ResolvedKeys {
  const unreadable = (id: string) => `secret "${id}" cannot be read: ${problem}`;
  return {
    ...(sources.secretId !== undefined
      ? { apiKeyProblem: unreadable(sources.secretId) }
      : envApiKey === undefined
        ? { apiKeyProblem: `${KEY_ENV.apiKey} is not set` }
        : { apiKey: envApiKey }),
    ...(sources.managementSecretId !== undefined
      ? { managementKeyProblem: unreadable(sources.managementSecretId) }
      : envManagementKey === undefined
        ? {}
        : { managementKey: envManagementKey }),
  };
}
