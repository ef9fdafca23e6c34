/**
 * Where a data-flow document comes from: the tool and its version, the policy
 * (name and digest), the input (digest of every stack and resource judged) and
 * when it was generated, so that an auditor can tie the page to a build and
 * `docs --check` can ignore only the time.
 */
import { createHash } from 'crypto';
import type { ResourceGraph } from '../core/graph';
import { Unresolved } from '../core/values';
import { packageVersion } from '../core/version';
import type { GuardrailPolicy } from '../policy/policy';
import type { Provenance } from './types';

export type { Provenance } from './types';

/** Locale-independent ordering (as the builder's), so the digest is the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Options of {@link provenanceOf}: the generation time, for reproducible output. */
export interface ProvenanceOptions {
  /** ISO time to state; default `SOURCE_DATE_EPOCH` from the environment, else the current time. */
  readonly generatedAt?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The provenance of a document about `graph` under `policy`. The policy digest
 * covers every setting that can change a verdict (region lists, zero
 * retention, what is not inspected, acknowledgements), not where the policy
 * was read from.
 */
export function provenanceOf(graph: ResourceGraph, policy: GuardrailPolicy, options: ProvenanceOptions = {}): Provenance {
  // Where the policy was read from is machine-dependent; everything else decides verdicts.
  const digest = createHash('sha256').update(JSON.stringify({ ...policy.toJSON(), source: undefined, suppressions: policy.suppressions })).digest('hex');
  return {
    tool: `llm-compliance-guardrail ${packageVersion()}`,
    policy: { name: policy.name, digest: `sha256:${digest}` },
    input: { digest: inputDigest(graph), stacks: graph.stacks.length, resources: graph.resources.length },
    generatedAt: options.generatedAt ?? generationTime(options.env ?? process.env),
  };
}

function generationTime(env: NodeJS.ProcessEnv): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d{1,12}$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/** About 64 KB: a larger piece would be a large heap object, allocated in fresh memory for every piece. */
const DIGEST_PIECE = 1 << 16;

/** One digest of every stack and resource as judged: the same input gives the same digest on every machine. */
function inputDigest(graph: ResourceGraph): string {
  const hash = createHash('sha256');
  for (const stack of [...graph.stacks].sort((a, b) => compareText(a.name, b.name))) {
    hash.update(`stack\u0000${stack.name}\u0000${stack.format}\u0000${stack.region instanceof Unresolved ? stack.region.expression : (stack.region ?? '')}\n`);
  }
  // The text is handed to the hash in pieces: one call per resource costs more than hashing it.
  let pending = '';
  for (const resource of [...graph.resources].sort((a, b) => compareText(a.key, b.key))) {
    // A reference or unresolved value serializes as its expression (their toJSON), which names what it refers to.
    pending += `${resource.key}\u0000${resource.type}\u0000${JSON.stringify(resource.properties)}\n`;
    if (pending.length >= DIGEST_PIECE) {
      hash.update(pending);
      pending = '';
    }
  }
  hash.update(pending);
  return `sha256:${hash.digest('hex')}`;
}

/** The generation time as the documents write it, replaced so that two renderings compare equal whatever their time. */
export function withoutGenerationTime(text: string): string {
  return text.replace(/(generated at |"generatedAt": ?")\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '$1<time>');
}

/** The provenance as one line for the Markdown and the page. */
export function provenanceLine(provenance: Provenance): string {
  const { tool, policy, input, generatedAt } = provenance;
  return `Provenance: ${tool}; policy ${policy.name} (${policy.digest.slice(0, 19)}…); input ${input.digest.slice(0, 19)}… (${input.stacks} stack(s), ${input.resources} resource(s)); generated at ${generatedAt}.`;
}
