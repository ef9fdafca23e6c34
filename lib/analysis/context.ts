/**
 * The per-run context of the facts layer: one graph, one policy, and a memo
 * in which each fact (IAM grants, log wiring, audit coverage, …) is computed
 * once and then shared by every rule, the data-flow documentation and the
 * gates. Nothing is cached in module state: two runs never share facts.
 */
import type { Resource, ResourceGraph } from '../core/graph';
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

/**
 * A per-resource memo inside the run's context: `compute()` once per key. A
 * resource is its own key (identity, no string hashing): the graph holds one
 * object per resource.
 */
export function memoByKey<T>(context: AnalysisContext, fact: string, key: object | string, compute: () => T): T {
  const table = context.memo(fact, newTable) as Map<object | string, T>;
  const known = table.get(key);
  if (known !== undefined || table.has(key)) return known as T;
  const value = compute();
  table.set(key, value);
  return value;
}

/** Module-level, so that asking for a table allocates no function: these are asked once per resource and fact. */
const newTable = (): Map<object | string, unknown> => new Map();

/**
 * A fact of each resource that most resources lack (provider signs, model
 * choices, a reason to count as a Bedrock caller): the first time any
 * resource's is asked for, it is computed for every resource of the graph in
 * one pass, and kept only where it differs from `none`, so that asking is a
 * lookup in a small table. A resource of a stack the graph does not hold is
 * computed on its own; so is one asked for while the pass itself runs (a fact
 * of one resource that reads the same fact of another).
 */
export function sparseFact<T>(context: AnalysisContext, fact: string, resource: Resource, compute: SparseCompute<T>, none: T, isNone: (value: T) => boolean): T {
  const { table, stacks } = sparseState(context, fact, compute, isNone);
  if (table === undefined) return compute(resource, context);
  const kept = table.get(resource);
  if (kept !== undefined) return kept;
  return stacks.has(resource.stack) ? none : compute(resource, context);
}

/**
 * How a sparse fact of one resource is computed. It gets the context as an
 * argument, so that callers pass a function defined once instead of a new
 * closure on every ask.
 */
export type SparseCompute<T> = (resource: Resource, context: AnalysisContext) => T;

/**
 * The resources of the graph whose fact differs from `none`, in document
 * order, with their values (see {@link sparseFact}); `undefined` while the
 * pass that computes them runs.
 */
export function sparseFactTable<T>(context: AnalysisContext, fact: string, compute: SparseCompute<T>, isNone: (value: T) => boolean): ReadonlyMap<Resource, T> | undefined {
  return sparseState(context, fact, compute, isNone).table;
}

interface SparseState<T> {
  table?: Map<Resource, T>;
  running: boolean;
  /** The stacks of the graph: a resource of another stack is not in the table's pass. */
  stacks: ReadonlySet<Resource['stack']>;
}

const newSparseState = (): SparseState<unknown> => ({ running: false, stacks: new Set() });

/** The fact's table for this run, computed on the first ask (one lookup in the run's memo per ask). */
function sparseState<T>(context: AnalysisContext, fact: string, compute: SparseCompute<T>, isNone: (value: T) => boolean): SparseState<T> {
  const state = context.memo(fact, newSparseState) as SparseState<T>;
  if (state.table !== undefined || state.running) return state;
  state.running = true;
  state.stacks = new Set(context.graph.stacks);
  const table = new Map<Resource, T>();
  const resources = context.graph.resources;
  try {
    for (let index = 0; index < resources.length; index++) {
      const each = resources[index];
      const value = compute(each, context);
      if (!isNone(value)) table.set(each, value);
    }
  } finally {
    state.running = false;
  }
  state.table = table;
  return state;
}
