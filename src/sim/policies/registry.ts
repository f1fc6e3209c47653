/**
 * Policy names → policies. Base policies: static, surge, elasticity, linucb, oracle; the prefixes
 * `defended-` and `robust-` wrap any base except the oracle and compose (`robust-defended-surge`);
 * `clean-` (the base fed ground truth: a perfect detector) is a benchmark for what defence could recover.
 */
import { UsageError } from '../../errors.js';
import type { ContaminationModel } from '../contamination-model.js';
import { clean } from './clean.js';
import { defended } from './defended.js';
import { elasticityPolicy } from './elasticity.js';
import { linucbPolicy } from './linucb.js';
import { oraclePolicy } from './oracle.js';
import { robust } from './robust.js';
import { staticPolicy } from './static.js';
import { surgePolicy } from './surge.js';
import type { PolicyEnv, PolicyParams, PricingPolicy } from './types.js';

export const BASE_POLICIES = ['static', 'surge', 'elasticity', 'linucb', 'oracle'] as const;
export type BasePolicy = (typeof BASE_POLICIES)[number];
export type Wrapper = 'defended' | 'robust' | 'clean';

export interface PolicyName {
  name: string;
  base: BasePolicy;
  /** outermost first */
  wrappers: Wrapper[];
}

/**
 * Parse a policy name; throws a UsageError naming the valid choices.
 * @example parsePolicyName('robust-defended-surge') // { base: 'surge', wrappers: ['robust', 'defended'] }
 */
export function parsePolicyName(name: string): PolicyName {
  const wrappers: Wrapper[] = [];
  let rest = name.trim();
  for (;;) {
    const m = /^(defended|robust|clean)-(.+)$/.exec(rest);
    if (m === null) break;
    wrappers.push(m[1] as Wrapper);
    rest = m[2]!;
  }
  if (!(BASE_POLICIES as readonly string[]).includes(rest)) {
    throw new UsageError(`--policy: unknown policy "${name}"; choose from ${BASE_POLICIES.join(', ')}, optionally prefixed with defended-, robust- or clean-`);
  }
  if (rest === 'oracle' && wrappers.length > 0) throw new UsageError(`--policy: "${name}": the oracle prices on true demand and cannot be wrapped`);
  return { name: name.trim(), base: rest as BasePolicy, wrappers };
}

function createBase(base: BasePolicy, env: PolicyEnv, params: PolicyParams): PricingPolicy {
  switch (base) {
    case 'static': return staticPolicy(env, params);
    case 'surge': return surgePolicy(env, params);
    case 'elasticity': return elasticityPolicy(env, params);
    case 'linucb': return linucbPolicy(env, params);
    case 'oracle': return oraclePolicy(env);
  }
}

/**
 * Build a policy from its parsed name. `model` is required for robust- policies.
 * @example const policy = createPolicy(parsePolicyName('defended-surge'), env, POLICY_DEFAULTS)
 */
export function createPolicy(spec: PolicyName, env: PolicyEnv, params: PolicyParams, model: ContaminationModel | null = null): PricingPolicy {
  const build = (wrappers: Wrapper[], e: PolicyEnv): PricingPolicy => {
    if (wrappers.length === 0) return createBase(spec.base, e, params);
    const [outer, ...inner] = wrappers;
    if (outer === 'defended') return defended(build(inner, e));
    if (outer === 'clean') return clean(build(inner, e));
    if (model === null) throw new Error('robust policies need a contamination model (calibrateContamination)');
    return robust(e, params, model, (copyEnv) => build(inner, copyEnv));
  };
  return build(spec.wrappers, env);
}
