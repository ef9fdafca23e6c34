/**
 * `llm-guardrail evidence <path> [--providers <file>]`: every evidence
 * document the app declares for its external providers, with the day it goes
 * stale (as LCG-PRV-006 judges it), soonest first — as text, JSON, or an
 * iCalendar file a team subscribes to.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { EvidenceExpiry, PROVIDER_DECLARATION, declarationOf, evidenceExpiries } from '../analysis/providers';
import { InputError } from '../core/errors';
import type { ResourceGraph } from '../core/graph';
import { loadInputAsync } from '../input/load';
import { readDeclarationsFile } from '../input/provider-declarations';
import { CliIo, EXIT } from './io';
import { isIsoDay } from './options';

export const EVIDENCE_USAGE = `Usage: llm-guardrail evidence [<path>] [--providers <file>] [--format text|json|ical] [--output <file>] [--today <YYYY-MM-DD>]

Lists every evidence document declared for the app's external LLM providers (in the output at <path>, and/or a
declarations file) with the day it goes stale, soonest first: a SOC 2 report 12 months after its period ends, a
bridge letter on the last day it covers, a vendor review 90 days after it; BAAs, DPAs, zero-retention approvals and
training opt-outs last until withdrawn. --format ical writes an iCalendar file (one all-day event per expiry).

Exit codes: 0, or 2 when the input, the declarations or the arguments are unusable.`;

export async function evidenceCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { providers: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' }, today: { type: 'string' } } });
  } catch (error) {
    throw new InputError(`evidence: ${(error as Error).message.split('\n')[0]}`, 'see `llm-guardrail evidence --help`');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new InputError(`evidence: expected at most one path, got ${positionals.length}`, 'llm-guardrail evidence cdk.out --providers providers.yaml');
  if (positionals.length === 0 && values.providers === undefined) throw new InputError('evidence: nothing to read', 'pass the synthesized output, --providers <file>, or both');
  const format = values.format ?? 'text';
  if (!['text', 'json', 'ical'].includes(format)) throw new InputError(`evidence: unknown format "${format}"`, 'use text, json or ical');
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDay(today)) throw new InputError(`evidence: --today must be YYYY-MM-DD, found "${values.today}"`, 'e.g. --today 2026-01-31');

  const graphs: ResourceGraph[] = [];
  if (positionals.length === 1) graphs.push((await loadInputAsync(path.resolve(io.cwd, positionals[0]), { cwd: io.cwd, env: io.env })).graph);
  const declared = graphs.flatMap((graph) => graph.ofType(PROVIDER_DECLARATION));
  if (values.providers !== undefined) declared.push(...readDeclarationsFile(path.resolve(io.cwd, values.providers)).resources);
  const expiries = declared
    .flatMap((resource) => evidenceExpiries(declarationOf(resource)!))
    .sort((a, b) => (a.expires ?? '9999-12-31').localeCompare(b.expires ?? '9999-12-31') || a.declaration.localeCompare(b.declaration) || a.document.localeCompare(b.document));
  const rendered = format === 'json' ? `${JSON.stringify({ today, evidence: expiries }, null, 2)}\n` : format === 'ical' ? calendar(expiries, today) : text(expiries, today);
  if (values.output !== undefined) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, values.output), rendered);
    } catch (error) {
      throw new InputError(`evidence: cannot write ${values.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable path');
    }
    io.stderr(`${expiries.length} evidence document(s); written to ${values.output}\n`);
  } else io.stdout(rendered);
  return EXIT.ok;
}

function text(expiries: readonly EvidenceExpiry[], today: string): string {
  if (expiries.length === 0) return 'No evidence declared for external providers.\n';
  const rows = expiries.map((entry) => [entry.expires === null ? 'no expiry' : entry.expires, entry.expires === null ? '' : status(entry.expires, today), entry.declaration, entry.document, entry.reference ?? '', entry.basis]);
  const header = ['Stale on', 'Status', 'Declaration', 'Document', 'Reference', 'Why then'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return `${line(header)}\n${rows.map((row) => `${line(row)}\n`).join('')}`;
}

function status(expires: string, today: string): string {
  if (expires < today) return 'STALE';
  const days = Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  return days === 0 ? 'last day' : `${days} days left`;
}

/** RFC 5545: one all-day event per document that expires, stable UIDs, CRLF line ends. */
function calendar(expiries: readonly EvidenceExpiry[], today: string): string {
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
  const day = (date: string): string => date.replace(/-/g, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//llm-compliance-guardrail//evidence//EN', 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:LLM provider evidence'];
  for (const entry of expiries) {
    if (entry.expires === null) continue;
    const next = new Date(`${entry.expires}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escape(`${entry.declaration}.${entry.document}`)}@llm-guardrail`,
      `DTSTAMP:${day(today)}T000000Z`,
      `DTSTART;VALUE=DATE:${day(entry.expires)}`,
      `DTEND;VALUE=DATE:${day(next.toISOString().slice(0, 10))}`,
      `SUMMARY:${escape(`${entry.document} of ${entry.declaration} (${entry.provider}) goes stale`)}`,
      `DESCRIPTION:${escape(`${entry.basis}${entry.reference ? `; reference ${entry.reference}` : ''}. Renew it and update the declaration.`)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
