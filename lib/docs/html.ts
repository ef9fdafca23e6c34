import * as fs from 'fs';
import { InputError } from '../core/errors';
import type { DataFlowModel } from './model';
import { DOCUMENT_TITLE, LEGEND, policySummary } from './markdown';
import { DocTable, docTables } from './tables';
import { RESIDENCY_STYLES, nodeNumbers, renderMermaid } from './mermaid';
import { provenanceLine } from './provenance';

let mermaidSource: string | undefined;

/** The Mermaid browser bundle from the installed package, inlined so the page works offline. */
function mermaidBundle(): string {
  if (mermaidSource === undefined) {
    let file: string;
    try {
      file = require.resolve('mermaid/dist/mermaid.min.js');
    } catch {
      throw new InputError('the mermaid package is not installed, so the HTML data-flow page cannot be written', 'npm install mermaid');
    }
    // A literal "</script" would end the inline script early.
    mermaidSource = fs.readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return mermaidSource;
}

/** Screen and print styles: the diagram fits the window (zoom and pan beyond), tables fit the page, print gives a document to file. */
const STYLE = `
:root { --ink: #1b1b1b; --muted: #555; --rule: #c8c8c8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 1.5rem 2rem; color: var(--ink); line-height: 1.35; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1.5rem; margin: 0.6rem 0 0.4rem; }
h1 { font-size: 1.25rem; margin: 0; }
.provenance { color: var(--muted); font-size: 0.78rem; margin: 0; overflow-wrap: anywhere; }
#toolbar { display: flex; gap: 0.4rem; align-items: center; margin: 0.3rem 0; font-size: 0.8rem; }
#toolbar button { font: inherit; padding: 0.1rem 0.6rem; border: 1px solid var(--rule); background: #f7f7f7; border-radius: 3px; cursor: pointer; }
#diagram { overflow: auto; border: 1px solid var(--rule); border-radius: 4px; cursor: grab; }
#diagram.panning { cursor: grabbing; }
#diagram svg { display: block; margin: 0 auto; max-width: none !important; }
#diagram g.node { cursor: pointer; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.8rem; margin: 0.5rem 0; padding: 0; list-style: none; }
.legend .swatch { display: inline-block; width: 1.4em; height: 0.9em; vertical-align: -0.1em; margin-right: 0.35em; border-width: 2px; }
.legend-text { font-size: 0.8rem; color: var(--muted); max-width: 75rem; }
.policy { font-size: 0.85rem; columns: 2 28rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 0.4rem; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.75rem; }
th, td { border: 1px solid var(--rule); padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; hyphens: auto; }
th { background: #f0f0f0; }
td.id, th.id { white-space: nowrap; overflow-wrap: normal; width: 4.2rem; }
td.rule { white-space: nowrap; overflow-wrap: normal; }
tr:target td { background: #fff3c4; }
a { color: #0b57d0; }
.error { color: #c62828; }
@media print {
  body { margin: 0; font-size: 9pt; }
  #toolbar { display: none; }
  #diagram { overflow: visible; border: none; }
  #diagram svg { width: 100% !important; height: auto !important; }
  table { font-size: 7pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  h2 { page-break-after: avoid; }
}
`;

/**
 * A self-contained page: the diagram first, scaled to fit the window (zoom
 * and pan beyond), rendered in the browser by the inlined Mermaid bundle with
 * no network access; nodes link to their rows and findings back to the nodes;
 * then the hop, node and finding tables, laid out to fit the page and to
 * print. `body[data-rendered]` turns `done` or `error` once rendering finished.
 */
export function renderHtml(model: DataFlowModel): string {
  const definition = JSON.stringify(renderMermaid(model)).replace(/</g, '\\u003c');
  const tables = docTables(model);
  const numbers = nodeNumbers(model);
  const nodesOfFinding = new Map<string, string[]>();
  for (const node of model.nodes) for (const finding of node.findingIds) nodesOfFinding.set(finding, [...(nodesOfFinding.get(finding) ?? []), numbers.get(node.id)!]);
  const legend = (['inside', 'outside', 'unverifiable'] as const).map((residency) => {
    const { style, print, meaning } = RESIDENCY_STYLES[residency];
    const fill = /fill:([^,]+)/.exec(style)![1];
    const stroke = /stroke:([^,]+)/.exec(style)![1];
    const border = print.split(' ')[0];
    return `<li><span class="swatch" style="background:${fill};border:2px ${border} ${stroke}"></span>${escapeHtml(`${meaning} (${print})`)}</li>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(DOCUMENT_TITLE)}</title>
<style>${STYLE}</style>
</head>
<body data-rendered="pending">
<header>
<h1>${escapeHtml(DOCUMENT_TITLE)}</h1>
<p class="provenance">${escapeHtml(provenanceLine(model.provenance))}</p>
</header>
<div id="toolbar"><button type="button" id="zoom-fit" title="Fit the diagram to the window">Fit</button><button type="button" id="zoom-in" title="Zoom in">+</button><button type="button" id="zoom-out" title="Zoom out">−</button><span>Drag to pan; click a node for its row.</span></div>
<div id="diagram" role="img" aria-label="Data-flow diagram"></div>
<ul class="legend">
${legend.join('\n')}
<li><span class="swatch" style="background:#fff;border:4px solid #1b1b1b"></span>an open finding (heavy border)</li>
</ul>
<p class="legend-text">${escapeHtml(LEGEND)}</p>
<ul class="policy">
${policySummary(model)
  .map((line) => `<li>${escapeHtml(line)}</li>`)
  .join('\n')}
</ul>
<p class="legend-text">Generated by <code>llm-guardrail docs</code> from the synthesized documents the compliance gate judges. Do not edit by hand: regenerate it.</p>
<h2>Hops</h2>
${htmlTable(tables.hops, 'hop', (cells) => [anchorCell('hop', cells[0]), nodeLink(cells[1]), nodeLink(cells[2]), ...cells.slice(3, -1).map(textCell), findingLinks(cells[cells.length - 1])])}
<h2>Nodes</h2>
${htmlTable(tables.nodes, 'node', (cells) => [anchorCell('node', cells[0].split(' ')[0], cells[0]), ...cells.slice(1, -1).map(textCell), findingLinks(cells[cells.length - 1])])}
<h2>Findings</h2>
${htmlTable(
  tables.findings,
  'finding',
  (cells) => [anchorCell('finding', cells[0]), `<td class="rule">${escapeHtml(cells[1])}</td>`, ...cells.slice(2).map(textCell), `<td>${(nodesOfFinding.get(cells[0]) ?? []).map((number) => `<a href="#node-${number}">${number}</a>`).join(', ') || '—'}</td>`],
  ['Nodes'],
)}
<h2>Catalogs</h2>
<ul>
${model.catalogs.map((catalog) => `<li>${escapeHtml(catalog.file)}, as of ${escapeHtml(catalog.asOf)}</li>`).join('\n')}
</ul>
<script>
${mermaidBundle()}
</script>
<script>
(function () {
  var definition = ${definition};
  var target = document.getElementById('diagram');
  var svg, natural, scale = 1;
  function apply() {
    if (!svg) return;
    svg.style.width = Math.round(natural.width * scale) + 'px';
    svg.style.height = Math.round(natural.height * scale) + 'px';
  }
  function fit() {
    if (!svg) return;
    var top = target.getBoundingClientRect().top + window.scrollY;
    var width = target.clientWidth - 2;
    // Room below for the legend, so the first screen explains the colours.
    var height = Math.max(240, window.innerHeight - top - 64);
    target.style.height = height + 'px';
    scale = Math.min(width / natural.width, height / natural.height, 1.5);
    apply();
  }
  document.getElementById('zoom-fit').onclick = fit;
  document.getElementById('zoom-in').onclick = function () { scale *= 1.25; apply(); };
  document.getElementById('zoom-out').onclick = function () { scale /= 1.25; apply(); };
  target.addEventListener('wheel', function (event) {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    scale *= event.deltaY < 0 ? 1.1 : 1 / 1.1;
    apply();
  }, { passive: false });
  var drag;
  target.addEventListener('mousedown', function (event) { drag = { x: event.clientX, y: event.clientY, left: target.scrollLeft, top: target.scrollTop }; target.className = 'panning'; });
  window.addEventListener('mouseup', function () { drag = undefined; target.className = ''; });
  window.addEventListener('mousemove', function (event) {
    if (!drag) return;
    target.scrollLeft = drag.left - (event.clientX - drag.x);
    target.scrollTop = drag.top - (event.clientY - drag.y);
  });
  // Large workloads exceed Mermaid's default limits on definition size and edge count.
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', maxTextSize: 5000000, maxEdges: 50000, flowchart: { htmlLabels: true, useMaxWidth: false } });
  mermaid.render('data-flow-svg', definition).then(function (result) {
    target.innerHTML = result.svg;
    svg = target.querySelector('svg');
    var box = svg.viewBox && svg.viewBox.baseVal;
    natural = box && box.width ? { width: box.width, height: box.height } : svg.getBBox();
    fit();
    // A node opens its row in the node table (the row links on to its findings).
    Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function (node) {
      var match = /-(n\\d+)-/.exec(node.id || '');
      if (match) node.addEventListener('click', function () { location.hash = 'node-' + match[1].toUpperCase(); });
    });
    document.body.setAttribute('data-rendered', 'done');
  }, function (error) {
    target.textContent = 'The diagram could not be rendered: ' + error;
    target.className = 'error';
    document.body.setAttribute('data-rendered', 'error');
  });
})();
</script>
</body>
</html>
`;
}

function htmlTable(table: DocTable, kind: string, cells: (values: readonly string[]) => string[], extraHeaders: readonly string[] = []): string {
  if (table.size === 0) return `<p>${escapeHtml(table.empty)}</p>`;
  // Numbers stay on one line; a node's first column also holds its name and wraps.
  const header = [...table.header, ...extraHeaders].map((text, index) => `<th${index === 0 && kind !== 'node' ? ' class="id"' : ''}>${escapeHtml(text)}</th>`).join('');
  const rows = Array.from({ length: table.size }, (_, index) => `<tr id="${kind}-${escapeHtml(table.row(index)[0].split(' ')[0])}">${cells(table.row(index)).join('')}</tr>`);
  return `<table class="${kind}s">\n<thead><tr>${header}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function textCell(value: string): string {
  return `<td>${escapeHtml(value)}</td>`;
}

/** The first cell of a row: its number (on one line), or a node's number and name. */
function anchorCell(_kind: string, id: string, text = id): string {
  return text === id ? `<td class="id">${escapeHtml(text)}</td>` : textCell(text);
}

/** `N3 ChatApi/Handler` as a link to the node's row. */
function nodeLink(value: string): string {
  const number = /^N\d+/.exec(value)?.[0];
  return number ? `<td><a href="#node-${number}">${escapeHtml(value)}</a></td>` : textCell(value);
}

/** `F1, F8` as links to the findings' rows. */
function findingLinks(value: string): string {
  if (!/^F\d+/.test(value)) return textCell(value);
  return `<td class="rule">${value
    .split(', ')
    .map((id) => `<a href="#finding-${escapeHtml(id)}">${escapeHtml(id)}</a>`)
    .join(', ')}</td>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
