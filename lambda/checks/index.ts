import type { Check } from '../engine/check';
import { CHECK_IDS, type CheckId } from '../engine/result';
import { authCheck } from './auth';
import { creditsCheck } from './credits';
import { keyAgeCheck } from './key-age';
import { keyLimitCheck } from './key-limit';
import { keysCheck } from './keys';
import { modelsCheck } from './models';
import { providersCheck } from './providers';
import { spendCheck } from './spend';
import { spendTrendCheck } from './spend-trend';
import { testRequestCheck } from './test-request';

const BY_ID: Readonly<Record<CheckId, Check>> = {
  auth: authCheck,
  'key-limit': keyLimitCheck,
  credits: creditsCheck,
  'key-age': keyAgeCheck,
  models: modelsCheck,
  'test-request': testRequestCheck,
  spend: spendCheck,
  keys: keysCheck,
  providers: providersCheck,
  'spend-trend': spendTrendCheck,
};

/** Every check, in the public CHECK_IDS order (the order of results in every output). */
export const CHECKS: readonly Check[] = CHECK_IDS.map((id) => BY_ID[id]);
