/** Where CloudFormation stacks deploy, compared: account-and-region settings (invocation logging) hold per environment. */
import type { StackInfo } from '../core/graph';

/** `yes`, `no`, or `unknown` when an account or region is known only at deploy time. */
export type Sameness = 'yes' | 'no' | 'unknown';

/** Whether two CloudFormation stacks deploy to the same account and region. */
export function sameAccountAndRegion(a: StackInfo, b: StackInfo): Sameness {
  if (a.name === b.name) return 'yes';
  const values = [a.account, b.account, a.region, b.region];
  if (values.some((value) => typeof value !== 'string')) return 'unknown';
  return a.account === b.account && a.region === b.region ? 'yes' : 'no';
}

/** `account/region` of a stack for messages; a part known only at deploy time says so. */
export function describeEnvironment(stack: StackInfo): string {
  return `${typeof stack.account === 'string' ? stack.account : 'an account known only at deploy time'}/${typeof stack.region === 'string' ? stack.region : 'a region known only at deploy time'}`;
}
