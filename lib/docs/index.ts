/**
 * Data-flow documentation for reviewers and auditors: a model built from the
 * resource graph, the policy and the gate's report, and its renderings
 * (Markdown with Mermaid, JSON, a self-contained HTML page).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Report } from '../engine/evaluate';
import type { ResourceGraph } from '../engine/graph';
import type { GuardrailPolicy } from '../policy/policy';
import { renderHtml } from './html';
import { renderDataFlowJson } from './json';
import { renderMarkdown } from './markdown';
import { buildDataFlowModel } from './model';

export { buildDataFlowModel, DATA_CLASSIFICATION_TAG, NODE_KINDS } from './model';
export type { DataFlowModel, FlowNode, FlowHop, FlowFinding, FlowLocation, FlowResource, FlowNodeKind } from './model';
export { renderMarkdown } from './markdown';
export { renderDataFlowJson } from './json';
export { renderHtml } from './html';
export { renderMermaid } from './mermaid';

/** The files the documentation consists of, by name. */
export const DATA_FLOW_FILES = ['data-flow.md', 'data-flow.json', 'data-flow.html'] as const;
export type DataFlowFile = (typeof DATA_FLOW_FILES)[number];

/** Every documentation file rendered in memory, by name. */
export function renderDataFlowDocs(graph: ResourceGraph, policy: GuardrailPolicy, report: Report): { readonly [file in DataFlowFile]: string } {
  const model = buildDataFlowModel(graph, policy, report);
  return { 'data-flow.md': renderMarkdown(model), 'data-flow.json': renderDataFlowJson(model), 'data-flow.html': renderHtml(model) };
}

/** Writes the documentation into `directory` (created when missing); returns the paths written. */
export function writeDataFlowDocs(directory: string, documents: { readonly [file in DataFlowFile]: string }): string[] {
  fs.mkdirSync(directory, { recursive: true });
  return DATA_FLOW_FILES.map((file) => {
    const target = path.join(directory, file);
    fs.writeFileSync(target, documents[file]);
    return target;
  });
}

/** The files of `directory` that are missing or differ from the freshly rendered documentation. */
export function staleDataFlowFiles(directory: string, documents: { readonly [file in DataFlowFile]: string }): DataFlowFile[] {
  return DATA_FLOW_FILES.filter((file) => {
    const target = path.join(directory, file);
    try {
      return fs.readFileSync(target, 'utf8') !== documents[file];
    } catch {
      return true;
    }
  });
}
