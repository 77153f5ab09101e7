import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ConfigSchema } from '../src/config/index.ts';
import { DuckSession, literal } from '../src/duck/index.ts';
import { generateLanding } from '../src/generate/generate-landing.ts';
import { LakeLayout } from '../src/lake/index.ts';
import type { DagRunRecord } from '../src/dag/index.ts';
import { startServer } from '../src/serve/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const CHROMIUM = process.env['SHOPLAKE_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = new URL('../test-output/screenshots/', import.meta.url).pathname;
const BIN = new URL('../bin/shoplake.cjs', import.meta.url).pathname;
const WEB_BUILT = new URL('../web/dist/index.html', import.meta.url).pathname;

/** Debian's chromium, started as the machine allows (no sandbox as root, no background network). */
async function launch(t: TestContext): Promise<Browser | undefined> {
  const missing: string[] = [];
  for (const p of [CHROMIUM, WEB_BUILT]) {
    if (
      !(await access(p).then(
        () => true,
        () => false,
      ))
    )
      missing.push(p);
  }
  if (missing.length) {
    const why = `${missing.join(' and ')} not found (apt-get install -y chromium; npm run build:web)`;
    if (process.env['CI'] === 'true') throw new Error(`${why}: under CI=true the browser tests must run`);
    t.skip(why);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test(
  'web app: KPIs equal the warehouse, a filter changes them, a run graph ' +
    'opens, the console reads and refuses writes, an upload is ingested',
  async (t) => {
    const browser = await launch(t);
    if (!browser) return;
    const root = await tempDir('web');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    await generateLanding({ out: landing, scale: 0.005, seed: 21, drops: 1 });
    const server = await startServer({
      config: ConfigSchema.parse({
        home,
        landing,
        server: { port: 0 },
        orchestrator: { dailySchedule: '', watchIntervalMs: 100, settleMs: 200 },
      }),
    });
    try {
      // The landing files start a run of their own; wait for its warehouse.
      for (let i = 0; i < 600; i++) {
        const runs = (await (await fetch(`${server.url}/api/runs`)).json()) as DagRunRecord[];
        if (runs.some((r) => r.state === 'success')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const db = await DuckSession.open(':memory:');
      await db.run(`ATTACH ${literal(new LakeLayout(home).warehouseDb)} AS wh (READ_ONLY)`);
      const truth = (
        await db.all<{ revenue: number; orders: number; items: number }>(
          `SELECT sum(revenue)::DOUBLE AS revenue, sum(orders)::INTEGER AS orders, sum(items_sold)::INTEGER AS items
           FROM wh.mart_daily_revenue`,
        )
      )[0]!;
      await db.close();

      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const offsite: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
          offsite.push(r.url());
      });
      await page.goto(server.url);
      const kpi = async (id: string) => Number(await page.locator(`[data-kpi="${id}"]`).getAttribute('data-value'));
      await page.locator('[data-kpi="revenue"]').waitFor();
      assert.ok(
        Math.abs((await kpi('revenue')) - truth.revenue) < 0.01,
        `revenue ${await kpi('revenue')} vs ${truth.revenue}`,
      );
      assert.equal(await kpi('orders'), truth.orders);
      assert.equal(await kpi('items'), truth.items);
      assert.match(await page.locator('[data-kpi="revenue"] .kpi-value').innerText(), /^\$[\d,]+$/);
      assert.equal((await page.locator('canvas').count()) >= 8, true, 'charts are drawn');
      assert.match(await page.locator('section.panel footer').first().innerText(), /data as of/);
      await shot(page, 'dashboard');

      // A filter narrows every figure.
      const category =
        (await page.locator('select[name="category"] option').nth(1).getAttribute('value')) ??
        (await page.locator('select[name="category"] option').nth(1).innerText());
      await page.selectOption('select[name="category"]', category);
      await page.waitForFunction(
        (total) => Number(document.querySelector('[data-kpi="revenue"]')?.getAttribute('data-value')) < total,
        truth.revenue,
      );
      assert.ok((await kpi('revenue')) > 0);
      await shot(page, 'dashboard-filtered');

      // Phone width: the grid becomes one column and nothing overflows sideways.
      await page.setViewportSize({ width: 390, height: 800 });
      await page.waitForTimeout(300);
      await shot(page, 'dashboard-phone');
      assert.equal(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
        true,
        'nothing overflows a phone screen',
      );
      await page.setViewportSize({ width: 1400, height: 900 });

      // Runs: open the run and see its DAG graph and task states.
      await page.goto(`${server.url}/#/runs`);
      await page.locator('tr[data-run]').first().click();
      await page.locator('section[aria-label="run detail"] canvas').waitFor();
      assert.equal(await page.locator('tr[data-task="publish"]').getAttribute('data-state'), 'success');
      await shot(page, 'runs');

      // Console: a SELECT shows rows; an INSERT is refused.
      await page.goto(`${server.url}/#/console`);
      await page.fill(
        'textarea[aria-label="SQL"]',
        'SELECT date, revenue FROM mart_daily_revenue ORDER BY date LIMIT 5',
      );
      await page.click('text=Run (Ctrl+Enter)');
      await page.locator('table[aria-label="result"] tbody tr').nth(4).waitFor();
      await page.fill('textarea[aria-label="SQL"]', 'INSERT INTO dim_store SELECT * FROM dim_store');
      await page.click('text=Run (Ctrl+Enter)');
      assert.match(await page.locator('[role="alert"]').innerText(), /query_refused/);
      await shot(page, 'console');

      // Data model: the ER diagram and a data dictionary from the
      // declarations; quality: rejected rows with their raw content.
      await page.goto(`${server.url}/#/model`);
      await page.locator('section[aria-label="entity-relationship diagram"] canvas').waitFor();
      assert.match(await page.locator('[data-table="fact_orders"]').innerText(), /one row per order line/);
      assert.match(await page.locator('[data-table="fact_orders"]').innerText(), /customer_key/);
      await shot(page, 'data-model');
      await page.goto(`${server.url}/#/quality`);
      const reason = (await page.locator('tr[data-reason]').first().getAttribute('data-reason'))!;
      await page.locator('tr[data-reason]').first().click();
      await page.waitForFunction((r) => {
        const rows = [...document.querySelectorAll('section[aria-label="rejected rows"] tbody tr')];
        return rows.length > 0 && rows.every((tr) => tr.getAttribute('data-row-reason') === r);
      }, reason);
      assert.match(
        await page.locator('section[aria-label="rejected rows"] tbody tr').first().innerText(),
        /\{|,/,
        'raw content is shown',
      );
      assert.ok((await page.locator('section[aria-label="quarantined files"] tbody tr').count()) > 0);
      await shot(page, 'quality');

      // Upload: a file of new orders is streamed in, ingested, and the figures move; a wrong type is refused first.
      const spare = join(root, 'spare');
      await generateLanding({ out: spare, scale: 0.002, seed: 22, drops: 1 });
      const ordersFile = join(
        spare,
        'orders',
        (await readdir(join(spare, 'orders'))).find((f) => f.includes('part'))!,
      );
      await page.goto(`${server.url}/#/upload`);
      await page.setInputFiles('input[name="file"]', {
        name: 'notes.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4'),
      });
      assert.match(await page.locator('[role="alert"]').innerText(), /only \.csv/);
      await page.selectOption('select[name="entity"]', 'orders');
      await page.setInputFiles('input[name="file"]', ordersFile);
      const result = page.locator('section[aria-label="upload result"]');
      await result.waitFor({ timeout: 120_000 });
      assert.equal(await result.getAttribute('data-status'), 'ingested');
      assert.match(await result.innerText(), /rows into bronze/);
      // The generator's order files carry rows the contract rejects: they are listed with their reasons.
      await result.locator('table[aria-label="quarantined rows of the upload"] tbody tr').first().waitFor();
      assert.ok((await result.locator('tr[data-row-reason="bad_timestamp"]').count()) > 0);
      const ordersRow = await result
        .locator('table[aria-label="figures before and after"] tr', { hasText: 'orders' })
        .innerText();
      const [before, after] = ordersRow
        .split('\t')
        .slice(1, 3)
        .map((v) => Number(v.replace(/[^\d]/g, '')));
      assert.ok(after! > before!, `orders ${before} -> ${after}`);
      await shot(page, 'upload');
      assert.deepEqual(offsite, [], 'no request leaves the server');
    } finally {
      await browser.close();
      await server.close();
    }
  },
);

test(
  'web app: the simulator feeds the dashboard live ' + '(activity and funnel follow the stream without a run)',
  async (t) => {
    const browser = await launch(t);
    if (!browser) return;
    const root = await tempDir('web-live');
    const landing = join(root, 'landing');
    const home = join(root, 'home');
    const token = 'web-live-token-0123456789';
    await generateLanding({ out: landing, scale: 0.002, seed: 23, drops: 1 });
    const server = await startServer({
      config: ConfigSchema.parse({
        home,
        landing,
        server: { port: 0 },
        orchestrator: { dailySchedule: '', watchLanding: false },
        collector: { token, flushIntervalMs: 300, refreshGold: false },
      }),
    });
    try {
      const first = await server.orchestrator.trigger('daily', { runType: 'manual' });
      assert.equal((await server.orchestrator.waitFor(first.runId)).state, 'success');
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(server.url);
      await page.locator('[data-kpi="revenue"]').waitFor();
      const activity = page.locator('section[aria-label="User activity"] footer');
      assert.doesNotMatch(await activity.innerText(), /live/);
      const toBefore = await page.inputValue('input[name="to"]');

      const sim = spawn(
        process.execPath,
        [BIN, 'simulate', '--target', server.url, '--token', token, '--rate', '300', '--duration', '6', '--json'],
        { stdio: 'ignore' },
      );
      try {
        // The page was not reloaded: the live events arrive over /api/events.
        await page.waitForFunction(
          () =>
            /live: [\d,]+ stream events/.test(
              document.querySelector('section[aria-label="User activity"] footer')?.textContent ?? '',
            ),
          undefined,
          { timeout: 30_000 },
        );
        const count = async () => Number((await activity.innerText()).match(/live: ([\d,]+)/)![1]!.replace(/,/g, ''));
        const early = await count();
        await page.waitForFunction(
          (n) =>
            Number(
              (document.querySelector('section[aria-label="User activity"] footer')?.textContent ?? '')
                .match(/live: ([\d,]+)/)?.[1]
                ?.replace(/,/g, ''),
            ) > n,
          early,
          { timeout: 30_000 },
        );
        assert.ok((await count()) > early, 'the figure grows while the stream runs');
      } finally {
        // Waited for: a child left running would keep this test file's process alive.
        if (sim.exitCode === null && sim.signalCode === null) {
          const gone = new Promise((r) => sim.once('exit', r));
          sim.kill('SIGKILL');
          await gone;
        }
      }
      const today = new Date().toISOString().slice(0, 10);
      assert.equal(
        await page.inputValue('input[name="to"]'),
        today,
        `the date range followed the stream from ${toBefore} to today`,
      );
      assert.match(
        await page.locator('section[aria-label="Conversion funnel (sessions)"] footer').innerText(),
        /live: /,
      );
      const runs = (await (await fetch(`${server.url}/api/runs`)).json()) as DagRunRecord[];
      assert.equal(runs.length, 1, 'no run was needed');
      await shot(page, 'dashboard-live');
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
