import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconciliationCounts } from '../../src/reconcile/counts.js';
import { reconciliationHtml } from '../../src/reconcile/report-html.js';
import { ITEM_STATUSES, type ItemStatus, type ReconciliationItem, type ReconciliationReport } from '../../src/reconcile/types.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A few hundred records of every status, skewed like a real import: mostly new and matched. */
function generatedItems(n: number): ReconciliationItem[] {
  const random = lcg(7);
  const weights: Array<[ItemStatus, number]> = [['matched', 0.4], ['new', 0.35], ['ambiguous', 0.08], ['duplicate', 0.08], ['not_customer', 0.05], ['quarantined', 0.04]];
  const pick = (): ItemStatus => {
    let r = random();
    for (const [status, w] of weights) if ((r -= w) < 0) return status;
    return 'new';
  };
  return Array.from({ length: n }, (_, i): ReconciliationItem => {
    const status = i < ITEM_STATUSES.length ? ITEM_STATUSES[i]! : pick();
    const golden = `GR${Math.floor(random() * 400)}`;
    const matchedLike = status === 'matched' || (status === 'duplicate' && random() < 0.5);
    return {
      itemNo: i + 1,
      sourceId: status === 'quarantined' && random() < 0.5 ? null : `A-${1000 + i}`,
      rowNumber: i + 2,
      status,
      goldenId: matchedLike ? golden : null,
      probability: matchedLike || status === 'duplicate' ? 0.9 + random() * 0.1 : null,
      candidates: status === 'ambiguous' ? [{ goldenId: golden, probability: 0.85 }, { goldenId: `GR${400 + i}`, probability: 0.8 }] : [],
      duplicateOf: status === 'duplicate' ? `A-${1000 + Math.floor(random() * i)}` : null,
      reason: status === 'not_customer' ? 'supplier account' : status === 'quarantined' ? 'birthDate: impossible date' : null,
      attrs: status === 'quarantined' ? {} : { firstName: i === 0 ? HOSTILE : `first${i}`, lastName: `last${i}`, email: random() < 0.8 ? `p${i}@acme.example` : null },
      conflicts:
        status === 'matched' && random() < 0.3
          ? [{ attribute: random() < 0.6 ? 'email' : 'phone', ours: 'x', theirs: 'y', oursUpdatedAt: null, theirsUpdatedAt: '2024-01-01', newer: 'unknown' }]
          : [],
    };
  });
}

/** The reconciliation report opened from a file in a real browser: rendered, complete, and inert. */
describe('the reconciliation report in a browser', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let fileUrl: string;
  const requests: string[] = [];
  let report: ReconciliationReport;

  beforeAll(async () => {
    const items = generatedItems(600);
    report = {
      id: 'rc_browser',
      name: `Acme ${HOSTILE}`,
      deployment: 'customers',
      source: 'acme_crm',
      state: 'reconciled',
      createdAt: '2025-03-04T05:06:07.000Z',
      thresholds: { match: 0.9, review: 0.6 },
      counts: reconciliationCounts(items),
      coverage: [
        { attribute: 'email', mapped: true, filled: 470, records: 580, invalid: 12, fillRate: 470 / 580, masterFillRate: 0.93, verdict: 'good' },
        { attribute: 'phone', mapped: true, filled: 200, records: 580, invalid: 30, fillRate: 200 / 580, masterFillRate: 0.8, verdict: 'poor' },
        { attribute: 'birthDate', mapped: false, filled: 0, records: 580, invalid: 0, fillRate: 0, masterFillRate: 0.66, verdict: 'missing' },
      ],
      items,
    };
    dir = await mkdtemp(join(tmpdir(), 'goldrun-reconciliation-report-'));
    const file = join(dir, 'report.html');
    await writeFile(file, reconciliationHtml(report));
    fileUrl = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    // GOLDRUN_KEEP_SCREENSHOTS=1 keeps the page and its screenshot to look at.
    if (dir && !process.env.GOLDRUN_KEEP_SCREENSHOTS) await rm(dir, { recursive: true, force: true });
  });

  it('renders a full-page screenshot of real size', async () => {
    const png = await page.screenshot({ fullPage: true });
    await writeFile(join(dir, 'report.png'), png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('shows each status count as computed', async () => {
    const { byStatus, total } = report.counts;
    for (const s of ITEM_STATUSES) {
      expect(byStatus[s], s).toBeGreaterThan(0);
      expect(await page.locator(`#count-${s}`).textContent(), s).toBe(String(byStatus[s]));
    }
    expect(await page.locator('#count-total').textContent()).toBe(String(total));
  });

  it('draws the status chart at a visible size with one bar per status, as long as its count', async () => {
    const chart = page.locator('#status-chart');
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(box!.height).toBeGreaterThan(100);
    const bars = chart.locator('rect.bar');
    expect(await bars.count()).toBe(ITEM_STATUSES.filter((s) => report.counts.byStatus[s] > 0).length);
    const widths: Partial<Record<ItemStatus, number>> = {};
    for (const bar of await bars.all()) {
      const key = (await bar.getAttribute('data-key')) as ItemStatus;
      widths[key] = (await bar.boundingBox())!.width;
      expect(await bar.locator('title').textContent()).toContain(String(report.counts.byStatus[key]));
    }
    // Rendered widths are proportional to the counts.
    const { matched, new: fresh } = report.counts.byStatus;
    expect(widths.new! / widths.matched!).toBeCloseTo(fresh / matched, 2);
  });

  it('draws the conflicts chart and the coverage bars', async () => {
    const box = await page.locator('#conflict-chart').boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(await page.locator('#conflict-chart rect.bar').count()).toBe(Object.keys(report.counts.conflictsByAttribute).length);
    expect(await page.locator('#conflicts-table tbody tr').count()).toBe(report.items.filter((i) => i.conflicts.length > 0).length);
    expect(await page.locator('#coverage-table svg.fill-bar').count()).toBe(3);
  });

  it('shows hostile values as text, runs none of them, and loads nothing but the file itself', async () => {
    expect(await page.locator('h1').textContent()).toBe(`Acquisition import: Acme ${HOSTILE}`);
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(requests).toEqual([fileUrl]);
  });
});
