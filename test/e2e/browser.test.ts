/**
 * Opens the self-contained HTML page in headless Chromium (the Debian
 * `chromium` package) from disk, with networking features off, and checks
 * that Mermaid rendered the diagram offline: the SVG has the nodes and the
 * edges of the model. The screenshot goes to a temporary folder; `npm run
 * docs:screenshot` writes it to docs/data-flow.png for the README instead.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { renderHtml } from '../../lib/docs';
import { fixtureGraph, modelOf } from '../docs/support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the HTML data-flow page in a browser', () => {
  let directory: string;
  beforeAll(() => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package "chromium" (apt-get install -y chromium) or set CHROMIUM_PATH`);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lcg-browser-'));
  });
  afterAll(() => {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  test('GIVEN the AWS example page opened from disk WHEN Mermaid renders offline THEN the SVG shows every node and edge', async () => {
    const { model } = modelOf(fixtureGraph('aws-cdk.out'));
    const page = path.join(directory, 'data-flow.html');
    fs.writeFileSync(page, renderHtml(model));

    const context = await chromium.launchPersistentContext(path.join(directory, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1800, height: 1200 },
    });
    try {
      const tab = await context.newPage();
      const requests: string[] = [];
      tab.on('request', (request) => requests.push(request.url()));
      await tab.goto(pathToFileURL(page).href);
      await tab.waitForSelector('body[data-rendered]:not([data-rendered="pending"])', { timeout: 60_000 });
      expect(await tab.getAttribute('body', 'data-rendered')).toBe('done');

      const svg = tab.locator('#diagram svg');
      const text = (await svg.textContent()) ?? '';
      for (const node of model.nodes) expect(text).toContain(node.label);
      expect(text).toContain('PII: prompts and model responses');
      expect(text).toContain('internal: API audit events (CloudTrail)');

      // Mermaid marks each edge path with data-id L_<from>_<to>_<n>; one path per hop.
      const numbers = new Map(model.nodes.map((node, index) => [node.id, `n${index + 1}`]));
      const edgeIds = await svg.locator('path.flowchart-link').evaluateAll((paths) => paths.map((element) => element.getAttribute('data-id') ?? ''));
      const expected = model.hops.map((hop) => `L_${numbers.get(hop.from)}_${numbers.get(hop.to)}_`);
      for (const prefix of expected) expect(edgeIds.some((id) => id.startsWith(prefix))).toBe(true);
      expect(edgeIds).toHaveLength(model.hops.length);

      expect(requests.every((url) => url.startsWith('file:') || url.startsWith('data:'))).toBe(true);

      // Widen the window to the whole diagram so the screenshot is not clipped by the scrolling container.
      const box = await svg.boundingBox();
      if (box) await tab.setViewportSize({ width: Math.ceil(box.x + box.width + 64), height: Math.ceil(Math.max(box.y + box.height + 64, 600)) });
      const screenshot = process.env.DATA_FLOW_SCREENSHOT ? path.resolve(process.env.DATA_FLOW_SCREENSHOT) : path.join(directory, 'data-flow.png');
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      const png = await tab.locator('#diagram').screenshot({ path: screenshot });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await context.close();
    }
  });
});
