/**
 * Where each remedy points: the runbook entries in docs/runbooks.md. Anchors are part of the
 * alerts users receive, so keep them stable.
 */
const RUNBOOK_BASE = 'docs/runbooks.md';

export const RUNBOOK = {
  invalidKey: `${RUNBOOK_BASE}#invalid-or-leaked-key`,
  keyRotation: `${RUNBOOK_BASE}#key-rotation`,
  keyLimit: `${RUNBOOK_BASE}#key-limit-missing-or-reached`,
  credits: `${RUNBOOK_BASE}#credit-exhaustion`,
  rateLimit: `${RUNBOOK_BASE}#rate-limiting`,
  outage: `${RUNBOOK_BASE}#provider-outage-or-model-retired`,
  spend: `${RUNBOOK_BASE}#spend-over-budget`,
  accountKeys: `${RUNBOOK_BASE}#account-keys`,
  auditor: `${RUNBOOK_BASE}#the-auditor-itself`,
  network: `${RUNBOOK_BASE}#cannot-reach-openrouter`,
  providers: `${RUNBOOK_BASE}#provider-health`,
  spendSpike: `${RUNBOOK_BASE}#spend-spike`,
  keyBudget: `${RUNBOOK_BASE}#key-over-budget`,
} as const;

export const seeRunbook = (anchor: string): string => `Runbook: ${anchor}`;
