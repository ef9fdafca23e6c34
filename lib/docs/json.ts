import type { DataFlowModel } from './model';
import type { TextSink } from './markdown';

/** The data-flow model as JSON for tools: two-space indentation, a final newline, keys in model order. */
export function renderDataFlowJson(model: DataFlowModel): string {
  const parts: string[] = [];
  writeDataFlowJson(model, (text) => parts.push(text));
  return parts.join('');
}

/**
 * {@link renderDataFlowJson} piece by piece into `emit`, byte for byte what
 * `JSON.stringify(model, null, 2)` gives, but one node, hop or finding at a
 * time, so the whole document never exists as one string.
 */
export function writeDataFlowJson(model: DataFlowModel, emit: TextSink): void {
  const entries = Object.entries(model).filter(([, value]) => value !== undefined);
  emit('{');
  entries.forEach(([key, value], index) => {
    emit(`${index === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      emit('[');
      value.forEach((item: unknown, position) => emit(`${position === 0 ? '' : ','}\n    ${indent(JSON.stringify(item, null, 2), '    ')}`));
      emit('\n  ]');
    } else {
      emit(indent(JSON.stringify(value, null, 2), '  '));
    }
  });
  emit(entries.length > 0 ? '\n}\n' : '}\n');
}

/** Indents every line after the first: JSON escapes line breaks inside strings, so every raw one is structure. */
function indent(json: string, by: string): string {
  return json.includes('\n') ? json.replace(/\n/g, `\n${by}`) : json;
}
