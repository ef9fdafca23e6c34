import type { DataFlowModel } from './model';
import type { TextSink } from './markdown';

/**
 * The data-flow model as JSON for tools: one line per top-level field and
 * per node, hop and finding (so that a diff of two versions shows the records
 * that changed), no further indentation, a final newline, keys in model order.
 */
export function renderDataFlowJson(model: DataFlowModel): string {
  const parts: string[] = [];
  writeDataFlowJson(model, (text) => parts.push(text));
  return parts.join('');
}

/** {@link renderDataFlowJson} piece by piece into `emit`: one record at a time, so the whole document never exists as one string. */
export function writeDataFlowJson(model: DataFlowModel, emit: TextSink): void {
  const entries = Object.entries(model).filter(([, value]) => value !== undefined);
  emit('{');
  entries.forEach(([key, value], index) => {
    emit(`${index === 0 ? '' : ','}\n${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      emit('[');
      value.forEach((item: unknown, position) => emit(`${position === 0 ? '' : ','}\n${JSON.stringify(item)}`));
      emit('\n]');
    } else {
      emit(JSON.stringify(value));
    }
  });
  emit(entries.length > 0 ? '\n}\n' : '}\n');
}
