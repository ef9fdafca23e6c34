/**
 * The per-run context of the facts layer: one graph, one policy, and a memo
 * in which each fact (IAM grants, log wiring, audit coverage, …) is computed
 * once and then shared by every rule, the data-flow documentation and the
 * gates. Nothing is cached in module state: two runs never share facts.
 */
import type { ResourceGraph } from '../core/graph';
import type { GuardrailPolicy } from '../policy/policy';

export interface AnalysisContext {
  readonly graph: ResourceGraph;
  readonly policy: GuardrailPolicy;
  /** The evaluation date (YYYY-MM-DD): acknowledgement expiry and the freshness of declared evidence are judged at it. */
  readonly today: string;
  /** The value of `compute()`, computed on first use and kept for this run. */
  memo<T>(key: string, compute: () => T): T;
}

/** A fresh context over one graph and policy: create one per run and hand it to the engine and the documentation. */
export function createAnalysisContext(graph: ResourceGraph, policy: GuardrailPolicy, today: string = new Date().toISOString().slice(0, 10)): AnalysisContext {
  const memo = new Map<string, unknown>();
  return {
    graph,
    policy,
    today,
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}

/** A per-resource memo inside the run's context: `compute(resource key)` once per key. */
export function memoByKey<T>(context: AnalysisContext, fact: string, key: string, compute: () => T): T {
  const table = context.memo(fact, () => new Map<string, T>());
  if (!table.has(key)) table.set(key, compute());
  return table.get(key) as T;
}
