import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { count, desc, eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type { Database } from '../db/client.js';
import { quarantinedRows, runs, runStages } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { quarantinedForRun, runDurationMs, runSummary } from '../pipeline/run-summary.js';
import { RUNS_QUEUE } from '../queue/run-flow.js';
import { resumeRun, stageJob, unfinishedBefore } from '../queue/resume-run.js';
import { WORK_QUEUES } from '../pipeline/stages.js';
import { IMPORT_QUEUE } from '../imports/imports.js';
import { createAuth, type AuthEnv, type AuthOptions } from './auth.js';
import { createMetrics } from './metrics.js';
import { loginPage, runPage, runsPage } from './pages.js';

export interface BoardOptions extends AuthOptions {
  database: Database;
  /** Opens a BullMQ queue by name (the board closes none of them: the caller does). */
  queue: (name: string) => Queue;
  log: Logger;
}

/** Where each role's bull-board lives: a viewer's is read-only (no retry, promote or clean). */
export const BOARD_PATHS = { viewer: '/queues/view', operator: '/queues/operate' } as const;

/**
 * The operator's board: goldrun's run pages, bull-board over every goldrun queue, and
 * Prometheus metrics, all behind a login. Nothing is served to an anonymous request but
 * the sign-in form (with status 401).
 */
export function createBoardApp(options: BoardOptions): Hono<AuthEnv> {
  const { database, log } = options;
  const auth = createAuth(options);
  const queues = [...WORK_QUEUES, RUNS_QUEUE, IMPORT_QUEUE].map((name) => options.queue(name));
  const app = new Hono<AuthEnv>({ strict: false });
  app.onError((err, c) => {
    log.error({ err, method: c.req.method, path: c.req.path }, 'board request failed');
    return c.text('internal error: see the board log', 500);
  });

  app.get('/login', (c) => c.html(loginPage(safeNext(c.req.query('next')), false)));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(String(form.next ?? ''));
    const user = await auth.login(String(form.name ?? ''), String(form.password ?? ''));
    if (!user) {
      log.warn({ user: String(form.name ?? '').slice(0, 64) }, 'board sign-in refused');
      return c.html(loginPage(next, true), 401);
    }
    await auth.startSession(c, user);
    log.info({ user: user.name, role: user.role }, 'board sign-in');
    return c.redirect(next, 303);
  });

  app.use('*', auth.required((c) => {
    // Browsers get the sign-in form; a Basic challenge would make them show their own dialog instead.
    if ((c.req.header('accept') ?? '').includes('text/html')) return c.html(loginPage(safeNext(c.req.path), false), 401);
    c.header('WWW-Authenticate', 'Basic realm="goldrun", charset="UTF-8"');
    return c.text('sign in first', 401);
  }));

  app.post('/logout', (c) => {
    auth.endSession(c);
    return c.redirect('/login', 303);
  });
  app.get('/', (c) => c.redirect('/runs'));
  app.get('/queues', (c) => c.redirect(BOARD_PATHS[c.get('user').role]));

  const registry = createMetrics(database, queues);
  app.get('/metrics', async (c) => c.text(await registry.metrics(), 200, { 'Content-Type': registry.contentType }));

  app.get('/runs', async (c) => {
    // Per listed run, through run_stages' key: a grouped join aggregated every run ever made.
    const lastStageEnd = sql<Date | null>`(select max(${runStages.finishedAt}) from ${runStages} where ${runStages.runId} = ${runs.id})`.mapWith(runStages.finishedAt);
    const rows = await database.db.select({ run: runs, lastStageEnd }).from(runs).orderBy(desc(runs.createdAt)).limit(100);
    return c.html(runsPage(c.get('user'), rows.map(({ run: r, lastStageEnd: end }) => ({
      id: r.id, deployment: r.deployment, status: r.status, trigger: r.trigger, createdAt: r.createdAt, error: r.error,
      durationMs: runDurationMs(r.startedAt, r.finishedAt, end),
    }))));
  });

  const showRun = async (c: Context<AuthEnv>, runId: string, message?: string) => {
    const summary = await runSummary(database, runId);
    if (!summary) return c.text(`no run ${runId}`, 404);
    const user = c.get('user');
    const [run] = await database.db.select({ trigger: runs.trigger }).from(runs).where(eq(runs.id, runId));
    const [total] = await database.db.select({ n: count() }).from(quarantinedRows).where(eq(quarantinedRows.runId, runId));
    const failed = summary.stages.filter((s) => s.status === 'failed');
    let resumable = false;
    for (const s of failed) if ((await unfinishedBefore(database, runId, s.stage, { ownParts: false })).length === 0) resumable = true;
    return c.html(runPage(user, {
      summary,
      trigger: run?.trigger ?? '',
      jobLink: (stage) => {
        const { queue, jobId } = stageJob(runId, stage);
        return `${BOARD_PATHS[user.role]}/queue/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`;
      },
      quarantined: await quarantinedForRun(database, runId, 100),
      quarantinedTotal: total?.n ?? 0,
      resumable,
      message,
    }));
  };
  app.get('/runs/:id', (c) => showRun(c, c.req.param('id')));
  app.post('/runs/:id/resume', auth.role('operator'), async (c) => {
    const runId = c.req.param('id');
    const retried = await resumeRun(database, options.queue, runId);
    log.info({ user: c.get('user').name, runId, retried }, 'run resumed from the board');
    return showRun(c, runId, retried.length > 0 ? `Retried ${retried.join(', ')}; the stages after it follow.` : 'Nothing to retry.');
  });

  for (const role of ['viewer', 'operator'] as const) {
    const basePath = BOARD_PATHS[role];
    const serverAdapter = new HonoAdapter(serveStatic).setBasePath(basePath);
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: role === 'viewer', allowRetries: role === 'operator' })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'goldrun', miscLinks: [{ text: 'Runs', url: '/runs' }] } },
    });
    if (role === 'operator') app.use(`${basePath}/*`, auth.role('operator'));
    app.route(basePath, serverAdapter.registerPlugin());
  }
  return app;
}

/** Only paths on this board: never an absolute URL a phishing link could send a user to. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/runs';
}
