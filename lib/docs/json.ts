import type { DataFlowModel } from './model';

/** The data-flow model as JSON for tools: two-space indentation, a final newline, keys in model order. */
export function renderDataFlowJson(model: DataFlowModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}
