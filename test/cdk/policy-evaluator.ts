import type { Template } from 'aws-cdk-lib/assertions';
import { asArray, type PolicyStatementJson, renderCfn, statementsOfRole } from './support';

/*
 * A small evaluator of IAM policy documents, as AWS evaluates a request against a resource policy
 * (SNS topic policy, KMS key policy) and an identity policy, working on the synthesized template.
 * Values are compared in their rendered form (`<Ref:AWS::AccountId>`, `<GetAtt:Role.Arn>`), so a
 * pseudo parameter matches only itself. It knows the condition operators our policies use and
 * throws on any other, so a new operator cannot pass unexamined.
 */

/** Who makes a request: an AWS service principal, or an IAM role of this account. */
export type RequestPrincipal =
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'role'; readonly roleLogicalId: string };

export interface PolicyRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** Request context keys, e.g. aws:SourceAccount, aws:SourceArn, aws:SecureTransport. */
  readonly context: Readonly<Record<string, string>>;
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

/** This account's root principal as CDK writes it: a key policy naming it delegates to IAM. */
const ACCOUNT_ROOT = 'arn:<Ref:AWS::Partition>:iam::<Ref:AWS::AccountId>:root';
const THIS_ACCOUNT = '<Ref:AWS::AccountId>';

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(value);
}

type PrincipalMatch = 'direct' | 'account-root' | 'none';

function principalMatch(statement: PolicyStatementJson, principal: RequestPrincipal): PrincipalMatch {
  const given = statement.Principal;
  if (given === undefined) return 'none';
  if (given === '*') return 'direct';
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return 'none';
  const record = given as Record<string, unknown>;
  if (principal.kind === 'service') {
    const services = asArray(record.Service ?? []).map(renderCfn);
    return services.includes(principal.service) ? 'direct' : 'none';
  }
  const arns = asArray(record.AWS ?? []).map(renderCfn);
  if (arns.includes('*') || arns.includes(`<GetAtt:${principal.roleLogicalId}.Arn>`)) return 'direct';
  return arns.includes(ACCOUNT_ROOT) || arns.includes(THIS_ACCOUNT) ? 'account-root' : 'none';
}

const CONDITION_TESTS: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => globMatch(pattern, value),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => globMatch(pattern, value),
  Bool: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
};

function conditionsHold(condition: unknown, context: Readonly<Record<string, string>>): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) throw new Error('malformed Condition');
  return Object.entries(condition).every(([operator, keys]) => {
    const test = CONDITION_TESTS[operator];
    if (test === undefined) throw new Error(`policy evaluator: unknown condition operator ${operator}`);
    return Object.entries(keys as Record<string, unknown>).every(([key, expected]) => {
      const value = context[key];
      // A key missing from the request fails every operator here (none is an ...IfExists one).
      if (value === undefined) return false;
      return asArray(expected).some((pattern) => test(renderCfn(pattern), value));
    });
  });
}

function matches(statement: PolicyStatementJson, request: PolicyRequest, withPrincipal: boolean): boolean {
  const actions = asArray(statement.Action).map(renderCfn);
  if (!actions.some((pattern) => globMatch(pattern, request.action, true))) return false;
  const resources = asArray(statement.Resource ?? '*').map(renderCfn);
  if (!resources.some((pattern) => globMatch(pattern, request.resource))) return false;
  if (withPrincipal && principalMatch(statement, request.principal) === 'none') return false;
  return conditionsHold(statement.Condition, request.context);
}

/** A resource policy's decision; `viaAccountRoot` when only a statement naming the account allowed it. */
export function evaluateResourcePolicy(
  statements: readonly PolicyStatementJson[],
  request: PolicyRequest,
): { decision: Decision; viaAccountRoot: boolean } {
  const hits = statements.filter((s) => matches(s, request, true));
  if (hits.some((s) => s.Effect === 'Deny')) return { decision: 'deny', viaAccountRoot: false };
  const allows = hits.filter((s) => s.Effect === 'Allow');
  if (allows.length === 0) return { decision: 'implicit-deny', viaAccountRoot: false };
  const direct = allows.some((s) => principalMatch(s, request.principal) === 'direct');
  return { decision: 'allow', viaAccountRoot: !direct };
}

/** An identity policy's decision (its statements have no Principal). */
export function evaluateIdentityPolicy(
  statements: readonly PolicyStatementJson[],
  request: PolicyRequest,
): Decision {
  const hits = statements.filter((s) => matches(s, request, false));
  if (hits.some((s) => s.Effect === 'Deny')) return 'deny';
  return hits.some((s) => s.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/**
 * Whether the request is allowed within one account:
 * - SNS (and other services): the resource policy OR the principal's identity policy allows, no Deny;
 * - KMS (`kmsKeyPolicy`): the key policy must allow the principal itself, or name the account
 *   (delegating to IAM) while the identity policy allows too.
 */
export function isAllowed(
  template: Template,
  resourcePolicy: readonly PolicyStatementJson[],
  request: PolicyRequest,
  options: { readonly kmsKeyPolicy?: boolean } = {},
): boolean {
  const resource = evaluateResourcePolicy(resourcePolicy, request);
  if (resource.decision === 'deny') return false;
  if (request.principal.kind === 'service') return resource.decision === 'allow' && !resource.viaAccountRoot;
  const identity = evaluateIdentityPolicy(
    statementsOfRole(template, request.principal.roleLogicalId),
    request,
  );
  if (identity === 'deny') return false;
  if (options.kmsKeyPolicy === true) {
    if (resource.decision !== 'allow') return false;
    return !resource.viaAccountRoot || identity === 'allow';
  }
  return resource.decision === 'allow' || identity === 'allow';
}
