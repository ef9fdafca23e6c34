/** Every report format, rendered from one report. */
import type { Report } from '../engine/evaluate';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderSarif } from './sarif';
import { renderText } from './text';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Text: colour the severities (for terminals). @default false */
  readonly color?: boolean;
  /** SARIF: the tool version written into the run. @default "0.0.0" */
  readonly toolVersion?: string;
  /** SARIF: the directory artifact URIs are relative to (`%SRCROOT%`). @default - the working directory */
  readonly root?: string;
}

/** Renders a report in one of the supported formats. */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, options.toolVersion ?? '0.0.0', options.root);
    case 'junit':
      return renderJunit(report);
    default:
      return renderText(report, options);
  }
}
