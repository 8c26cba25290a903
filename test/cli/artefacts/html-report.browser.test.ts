import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rebuildArtefacts } from '../../kit/artefacts.js';
import { ROW_STATUSES } from '../../../src/model/row-result.js';
import { writeClidManifest, reportFolder, row, runInfo } from '../../kit/report-fixtures.js';
import { runCli, tempDir, withSimulator } from '../../kit/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`report.html browser tests SKIPPED: ${CHROMIUM} is absent. Install Debian's chromium package (apt-get install chromium) to run them.`);
}
const describeInBrowser = hasChromium ? describe : describe.skip;

type Opened = { page: Page; problems: string[]; requests: string[] };

describeInBrowser('report.html in headless Chromium', () => {
  let browser: Browser;
  const sim = withSimulator({ users: 50, record: false });

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the file and records console errors, page errors and every request the page makes. */
  async function open(file: string): Promise<Opened> {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // The script fills #shown once it has rendered the rows; if it never does, say what the page reported.
    await page.waitForSelector('#shown:not(:empty)', { timeout: 10_000 }).catch((error: Error) => {
      throw new Error(`report.html did not render: ${error.message}\n${problems.join('\n')}`);
    });
    return { page, problems, requests };
  }

  const visibleRows = (page: Page) => page.locator('#rows-body tr').count();
  const count = (page: Page, label: string) => page.locator(`[data-count="${label}"]`).textContent();

  it('shows a real run: counts equal summary.json, status filter and userId search change the rows', async () => {
    const dir = await tempDir();
    const manifest = await writeClidManifest(dir, 12, 1);
    for (const u of ['user00002@sim.odin.test', 'user00007@sim.odin.test']) {
      sim.setFields('user-call-processing-policy', u, { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' });
    }
    sim.script('PUT', '/users/call-processing-policy', [400], { key: 'user00005@sim.odin.test' });
    const out = join(dir, 'report');
    const env = { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
    const res = await runCli(['run', '--manifest', manifest, '--out', out, '--rate', '0', '--retries', '0', '--quiet'], { env });
    expect(res.code).toBe(1);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ total: 12, updated: 9, unchanged: 2, failed: 1 });

    const file = join(out, 'report.html');
    const { page, problems, requests } = await open(file);
    expect(await count(page, 'total')).toBe('12');
    for (const s of ROW_STATUSES) expect(await count(page, s)).toBe(String(summary[s] ?? 0)); // `waiting` only in runs with waves
    expect(await visibleRows(page)).toBe(12);
    expect(await page.locator('#shown').textContent()).toBe('Showing 12 of 12 rows');
    expect(await page.locator('#fields-body tr').count()).toBe(2);

    await page.selectOption('#status-filter', 'failed');
    expect(await visibleRows(page)).toBe(1);
    const failedRow = page.locator('#rows-body tr');
    expect(await failedRow.locator('td.id').textContent()).toBe('user00005@sim.odin.test');
    expect(await failedRow.locator('td.error').textContent()).toContain('400');

    await page.selectOption('#status-filter', 'unchanged');
    expect(await page.locator('#rows-body td.id').allTextContents()).toEqual(['user00002@sim.odin.test', 'user00007@sim.odin.test']);
    expect(await page.locator('#rows-body td.changed').count()).toBe(0);

    await page.selectOption('#status-filter', '');
    await page.fill('#search', 'USER00009');
    expect(await page.locator('#rows-body td.id').allTextContents()).toEqual(['user00009@sim.odin.test']);
    // An updated row highlights its changed cells with before → after.
    const changed = page.locator('#rows-body td.changed');
    expect(await changed.count()).toBeGreaterThan(0);
    expect(await changed.first().textContent()).toMatch(/ → /);

    await page.fill('#search', 'nobody@');
    expect(await visibleRows(page)).toBe(0);
    expect(await page.locator('#shown').textContent()).toBe('Showing 0 of 12 rows');

    await page.fill('#search', '');
    await page.locator('button[data-status="updated"]').click();
    expect(await visibleRows(page)).toBe(9);
    expect(await page.locator('#status-filter').inputValue()).toBe('updated');

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('shows a job of steps: a column group per step, each step\'s status per row, cells of a skipped step not shown as written', async () => {
    const dir = await tempDir({
      'job.json': JSON.stringify({
        name: 'baseline',
        manifest: 'users.csv',
        steps: [
          { operation: 'user-do-not-disturb', defaults: { isActive: false } },
          { operation: 'user-call-processing-policy', defaults: { useUserCLIDSetting: true } },
        ],
      }),
      'users.csv': 'userId\nuser00003@sim.odin.test\nuser00004@sim.odin.test\n',
    });
    for (const u of ['user00003@sim.odin.test', 'user00004@sim.odin.test']) {
      sim.setFields('user-do-not-disturb', u, { isActive: true });
      sim.setFields('user-call-processing-policy', u, { useUserCLIDSetting: false });
    }
    sim.script('PUT', '/users/do-not-disturb', [400], { key: 'user00004@sim.odin.test' });
    const out = join(dir, 'report');
    const env = { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
    const res = await runCli(['run', join(dir, 'job.json'), '--out', out, '--rate', '0', '--retries', '0', '--quiet'], { env });
    expect(res.code).toBe(1);
    const file = join(out, 'report.html');
    const { page, problems } = await open(file);
    expect(await page.locator('thead tr.steps th[scope="colgroup"]').allTextContents()).toEqual(['user-do-not-disturb (1 updated, 1 failed)', 'user-call-processing-policy (1 updated, 1 skipped)']);
    const failed = page.locator('#rows-body tr[data-status="failed"]');
    expect(await failed.locator('td.status .step').allTextContents()).toEqual(['user-do-not-disturb: failed', 'user-call-processing-policy: skipped']);
    // The skipped step's cell shows the value asked for, not a change.
    expect(await failed.locator('td.changed').count()).toBe(1);
    const updated = page.locator('#rows-body tr[data-status="updated"]');
    expect(await updated.locator('td.changed.updated').count()).toBe(2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile text as text: nothing in the data runs or loads', async () => {
    const nasty = '</script><script>window.__pwned = 1</script><img src="http://127.0.0.1:9/x.png" onerror="window.__pwned = 2">';
    const rows = [
      row(2, '<b>bold</b>@x.test', 'failed', { error: nasty }),
      row(3, 'plain@x.test', 'planned'),
      row(4, 'later@x.test', 'skipped'),
    ];
    const info = runInfo({ job: '<i>job</i>', dryRun: true });
    const dir = await reportFolder(rows, info);
    await rebuildArtefacts(dir, info);
    const file = join(dir, 'report.html');
    const { page, problems, requests } = await open(file);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('h1').textContent()).toBe('odin-bulk plan "<i>job</i>": 3 rows');
    expect(await page.locator('#rows-body td.id').allTextContents()).toEqual(['<b>bold</b>@x.test', 'plain@x.test', 'later@x.test']);
    expect(await page.locator('#rows-body td.error').first().textContent()).toBe(`${nasty} (HTTP 500)`);
    expect(await page.locator('#rows-body img').count()).toBe(0);
    expect(await page.locator('#fields h2').textContent()).toBe('Fields that would change');
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('renders a large folder a page at a time', async () => {
    // Two pages of 500 and one row more: "show more" adds a page at a time, then hides once all are shown.
    const rows = Array.from({ length: 1001 }, (_, i) => row(i + 2, `u${String(i).padStart(4, '0')}@x.test`, i % 3 ? 'updated' : 'unchanged'));
    const dir = await reportFolder(rows);
    await rebuildArtefacts(dir, runInfo());
    const { page, problems } = await open(join(dir, 'report.html'));
    expect(await visibleRows(page)).toBe(500);
    expect(await page.locator('#shown').textContent()).toBe('Showing the first 500 of 1001 matching rows (1001 in all)');
    await page.click('#show-more');
    expect(await visibleRows(page)).toBe(1000);
    await page.click('#show-more');
    expect(await visibleRows(page)).toBe(1001);
    expect(await page.locator('#show-more').isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
