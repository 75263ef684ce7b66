import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AuditorPropsError } from './props-error';

/** A Secrets Manager secret: an `ISecret`, or its name or ARN. */
export type SecretReference = ISecret | string;

/** A secret the auditor reads, with what the function's environment and IAM policy need. */
export interface ResolvedSecret {
  readonly secret: ISecret;
  /** What the Lambda passes to GetSecretValue: the name or ARN as given (a full ARN for an ISecret when known). */
  readonly secretId: string;
  /** The ARN for the IAM policy; a name or partial ARN gets Secrets Manager's 6-character suffix wildcard `-??????`. */
  readonly policyArn: string;
  /** The customer managed key of the secret, when known (the Lambda then needs kms:Decrypt through Secrets Manager). */
  readonly encryptionKey?: IKey;
}

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([A-Za-z0-9/_+=.@-]{1,512})$/;
// Secrets Manager appends "-" and 6 random characters to the name in a secret's complete ARN.
const COMPLETE_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;
// A key pasted where the secret's name belongs must never reach the template or an error message.
const LOOKS_LIKE_KEY = /sk-or-|^sk-|[0-9a-fA-F]{32,}|xox[abpr]-/;
const SUFFIX_WILDCARD = '-??????';

/**
 * Resolves a secret prop: an ISecret is used as is; a name goes through `Secret.fromSecretNameV2`,
 * an ARN through `fromSecretCompleteArn` (its name ends in `-XXXXXX`) or `fromSecretPartialArn`.
 * Errors name the field and never echo the value (it might be the key itself, pasted by mistake).
 */
export function resolveSecret(
  scope: Construct,
  id: string,
  ref: SecretReference,
  field: string,
): ResolvedSecret {
  if (typeof ref !== 'string') {
    const encryptionKey = ref.encryptionKey;
    return {
      secret: ref,
      secretId: ref.secretFullArn ?? ref.secretName,
      policyArn: ref.secretFullArn ?? `${ref.secretArn}${SUFFIX_WILDCARD}`,
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
    };
  }
  const value = ref.trim();
  if (LOOKS_LIKE_KEY.test(value) && !ARN.test(value)) {
    throw new AuditorPropsError(
      field,
      'looks like a key or token, not a secret name: store the value in Secrets Manager and pass the secret NAME or ARN',
    );
  }
  const arn = ARN.exec(value);
  if (arn) {
    const complete = COMPLETE_ARN_SUFFIX.test(arn[1] ?? '');
    const secret = complete
      ? Secret.fromSecretCompleteArn(scope, id, value)
      : Secret.fromSecretPartialArn(scope, id, value);
    return { secret, secretId: value, policyArn: complete ? value : `${value}${SUFFIX_WILDCARD}` };
  }
  if (!NAME.test(value)) {
    throw new AuditorPropsError(
      field,
      'must be a Secrets Manager secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -) or ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    );
  }
  const secret = Secret.fromSecretNameV2(scope, id, value);
  return { secret, secretId: value, policyArn: `${secret.secretArn}${SUFFIX_WILDCARD}` };
}
