/**
 * Opens the self-contained HTML page of each bundled example in headless
 * Chromium (the Debian `chromium` package) from disk, with networking off, at
 * 1400×1000 as a reviewer would, and checks what the reviewer needs: Mermaid
 * rendered the diagram offline, the whole diagram is visible without
 * scrolling, no node is named by a hashed logical id, every hop of the table
 * is on an edge, and a node opens its row. The screenshots go to a temporary
 * folder; `npm run docs:screenshot` writes the AWS one to docs/data-flow.png
 * for the README instead.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { App as CdkApp } from 'aws-cdk-lib';
import { App as CdktfApp } from 'cdktf';
import { chromium } from 'playwright-core';
import { buildExampleApp } from '../../bin/example-app';
import { EuOpenAiStack } from '../../examples/azure/workload';
import { VertexAiEuStack } from '../../examples/google/workload';
import { DataFlowModel, buildDataFlowModel, renderHtml } from '../../lib/docs';
import { edges } from '../../lib/docs/mermaid';
import { runGuardrail } from '../../lib/gate/run';
import { loadInput } from '../../lib/input/load';
import { GuardrailPolicy } from '../../lib/policy/policy';
import { tempDir } from '../support/synth';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 1000 };
/** A CDK logical id with its hash (`ChatFunctionServiceRole544D50A9`): for tables, never for names. */
const HASHED_ID = /\b[A-Za-z][A-Za-z0-9]*[0-9A-F]{8}\b/;

jest.setTimeout(180_000);

function modelOf(outdir: string): DataFlowModel {
  const { context, report } = runGuardrail(loadInput(outdir).graph, GuardrailPolicy.preset('eu'), { today: '2026-11-25' });
  return buildDataFlowModel(context, report, { generatedAt: '2026-11-25T12:00:00.000Z' });
}

const EXAMPLES: readonly (readonly [string, () => DataFlowModel])[] = [
  [
    'aws',
    () => {
      const outdir = path.join(tempDir('browser-aws'), 'cdk.out');
      const app = new CdkApp({ outdir });
      buildExampleApp(app, { account: '111111111111' });
      app.synth();
      return modelOf(outdir);
    },
  ],
  [
    'azure and google',
    () => {
      const outdir = path.join(tempDir('browser-tf'), 'cdktf.out');
      fs.mkdirSync(outdir, { recursive: true });
      const app = new CdktfApp({ outdir, skipValidation: true });
      new EuOpenAiStack(app, 'llm-eu');
      new VertexAiEuStack(app, 'vertex-ai-eu', GuardrailPolicy.preset('eu'));
      app.synth();
      return modelOf(outdir);
    },
  ],
];

describe('the HTML data-flow page in a browser, as a reviewer opens it', () => {
  let directory: string;
  beforeAll(() => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package "chromium" (apt-get install -y chromium) or set CHROMIUM_PATH`);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-browser-'));
  });
  afterAll(() => {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  test.each(EXAMPLES)('GIVEN the %s example page opened from disk at 1400×1000 THEN the whole diagram renders offline in view, named as people name things, with every hop on an edge', async (name, build) => {
    const model = build();
    const page = path.join(directory, `${name.replace(/\W+/g, '-')}.html`);
    fs.writeFileSync(page, renderHtml(model));

    const context = await chromium.launchPersistentContext(path.join(directory, `profile-${name.replace(/\W+/g, '-')}`), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: VIEWPORT,
    });
    try {
      const tab = await context.newPage();
      const requests: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForSelector('body[data-rendered]:not([data-rendered="pending"])', { timeout: 60_000 });
      expect(await tab.getAttribute('body', 'data-rendered')).toBe('done');
      expect(requests.every((url) => url.startsWith('file:') || url.startsWith('data:'))).toBe(true);

      // The whole diagram is in the window, without scrolling the page or the diagram's box.
      const svg = tab.locator('#diagram svg');
      const box = (await svg.boundingBox())!;
      expect([box.x >= 0, box.y >= 0, box.x + box.width <= VIEWPORT.width, box.y + box.height <= VIEWPORT.height]).toEqual([true, true, true, true]);
      const scroll = await tab.evaluate(() => {
        const diagram = document.getElementById('diagram')!;
        return { page: window.scrollY, overflowX: diagram.scrollWidth > diagram.clientWidth + 1, overflowY: diagram.scrollHeight > diagram.clientHeight + 1 };
      });
      expect(scroll).toEqual({ page: 0, overflowX: false, overflowY: false });

      // Nodes are named by path or address; hashed logical ids stay in the tables.
      const text = (await svg.textContent()) ?? '';
      for (const node of model.nodes) {
        expect(text).toContain(node.label);
        expect([node.label, HASHED_ID.test(node.label)]).toEqual([node.label, false]);
      }

      // Every hop number of the table is on an edge label, and every edge is drawn.
      const labels = (await svg.locator('.edgeLabel').allTextContents()).join(' ');
      for (let index = 1; index <= model.hops.length; index++) expect(labels).toMatch(new RegExp(`\\bH${index}\\b`));
      expect(await svg.locator('path.flowchart-link').count()).toBe(edges(model).length);

      // A node opens its row in the node table.
      await svg.locator('g.node').first().click();
      expect(await tab.evaluate(() => location.hash)).toBe('#node-N1');

      // The first screen as a reviewer sees it; the AWS example's is the README's picture.
      const screenshot = name === 'aws' && process.env.DATA_FLOW_SCREENSHOT ? path.resolve(process.env.DATA_FLOW_SCREENSHOT) : path.join(directory, `${name.replace(/\W+/g, '-')}.png`);
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await tab.evaluate(() => window.scrollTo(0, 0));
      const png = await tab.screenshot({ path: screenshot });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await context.close();
    }
  });
});
