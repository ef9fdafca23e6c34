/**
 * Data-flow documentation for reviewers and auditors: a model built from the
 * resource graph, the policy and the gate's report, and its renderings
 * (Markdown with Mermaid, JSON, a self-contained HTML page).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Report } from '../engine/evaluate';
import type { AnalysisContext } from '../analysis/context';
import { renderHtml } from './html';
import { renderDataFlowJson, writeDataFlowJson } from './json';
import { TextSink, renderMarkdown, writeMarkdown } from './markdown';
import { FileSetOptions, writeFileSet } from './file-set';
import { buildDataFlowModel } from './model';
import { ProvenanceOptions, withoutGenerationTime } from './provenance';

export { buildDataFlowModel, DATA_CLASSIFICATION_TAG, NODE_KINDS } from './model';
export type { DataFlowModel, FlowNode, FlowHop, FlowFinding, FlowLocation, FlowResource, FlowNodeKind } from './model';
export { renderMarkdown, writeMarkdown } from './markdown';
export type { TextSink } from './markdown';
export { renderDataFlowJson, writeDataFlowJson } from './json';
export { renderHtml } from './html';
export { renderMermaid } from './mermaid';
export type { Provenance, ProvenanceOptions } from './provenance';
export { diffDataFlow, readDataFlowJson, renderDiffMarkdown } from './diff';
export type { DataFlowDiff, PostureChange } from './diff';

/** The files the documentation consists of, by name. */
export const DATA_FLOW_FILES = ['data-flow.md', 'data-flow.json', 'data-flow.html'] as const;
export type DataFlowFile = (typeof DATA_FLOW_FILES)[number];

/** Which renderings to produce. */
export interface DataFlowRenderOptions extends ProvenanceOptions {
  /**
   * Whether to render the self-contained HTML page too (it inlines the Mermaid
   * bundle, about 3.6 MB, so synthesis-time writers leave it to `llm-guardrail docs`
   * unless asked).
   * @default true
   */
  readonly html?: boolean;
}

/** The documentation files rendered in memory, by name: Markdown and JSON, and the HTML page unless `html: false`. */
export function renderDataFlowDocs(context: AnalysisContext, report: Report, options: DataFlowRenderOptions = {}): { readonly [file in DataFlowFile]?: string } {
  const model = buildDataFlowModel(context, report, options);
  const documents: { [file in DataFlowFile]?: string } = { 'data-flow.md': renderMarkdown(model), 'data-flow.json': renderDataFlowJson(model) };
  if (options.html !== false) documents['data-flow.html'] = renderHtml(model);
  return documents;
}

/** Writes the documentation into `directory` (created when missing) as one set (see `writeFileSet`); returns the paths written. */
export function writeDataFlowDocs(directory: string, documents: { readonly [file in DataFlowFile]?: string }): string[] {
  return writeFileSet(
    directory,
    DATA_FLOW_FILES.flatMap((file) => {
      const content = documents[file];
      return content === undefined ? [] : [[file, (emit: TextSink) => emit(content)] as const];
    }),
  );
}

/**
 * Builds the documentation and writes it into `directory` (created when
 * missing) as it is rendered, without holding any file's text in memory: what
 * the gates do at every synthesis. Returns the paths written.
 */
export function writeDataFlowDocumentation(directory: string, context: AnalysisContext, report: Report, options: DataFlowRenderOptions & FileSetOptions = {}): string[] {
  const model = buildDataFlowModel(context, report, options);
  const writers: { readonly [file in DataFlowFile]?: (emit: TextSink) => void } = {
    'data-flow.md': (emit) => writeMarkdown(model, emit),
    'data-flow.json': (emit) => writeDataFlowJson(model, emit),
    ...(options.html !== false ? { 'data-flow.html': (emit: TextSink) => emit(renderHtml(model)) } : {}),
  };
  return writeFileSet(
    directory,
    DATA_FLOW_FILES.flatMap((file) => {
      const write = writers[file];
      return write ? [[file, write] as const] : [];
    }),
    options,
  );
}

/** The files of `directory` that are missing or differ from the freshly rendered documentation (the generation time aside). */
export function staleDataFlowFiles(directory: string, documents: { readonly [file in DataFlowFile]?: string }): DataFlowFile[] {
  return DATA_FLOW_FILES.filter((file) => documents[file] !== undefined).filter((file) => {
    const target = path.join(directory, file);
    try {
      return withoutGenerationTime(fs.readFileSync(target, 'utf8')) !== withoutGenerationTime(documents[file]!);
    } catch {
      return true;
    }
  });
}
