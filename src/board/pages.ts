import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { RunSummary } from '../pipeline/run-summary.js';
import type { BoardUser } from './users.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header .me{margin-left:auto;opacity:.8}
main{padding:16px 20px;max-width:1200px}table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#eef1f4;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:600}.completed{color:#1a7f37}.failed{color:#c62828}.running,.retrying{color:#9a6700}.queued,.waiting{color:#57606a}
.error{color:#c62828;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
form.inline{display:inline}button{font:inherit;padding:5px 12px;cursor:pointer}
.login{max-width:320px;margin:80px auto;background:#fff;padding:24px;border-radius:6px;box-shadow:0 1px 4px #0002}
.login input{width:100%;box-sizing:border-box;margin:4px 0 12px;padding:6px}.note{color:#57606a}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}dt{font-weight:600}`;

export function layout(title: string, user: BoardUser | null, body: Html): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · goldrun</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${raw(STYLE)}</style></head><body>
<header><strong>goldrun</strong>${user ? html`<a href="/runs">Runs</a><a href="/queues">Queues</a>
<span class="me">${user.name} (${user.role})</span><form class="inline" method="post" action="/logout"><button>Sign out</button></form>` : ''}</header>
<main>${body}</main></body></html>`;
}

export function loginPage(next: string, failed: boolean): Html {
  return layout('Sign in', null, html`<form class="login" method="post" action="/login">
<h2>Sign in</h2>${failed ? html`<p class="error">Wrong name or password.</p>` : ''}
<input type="hidden" name="next" value="${next}">
<label>Name<input name="name" autocomplete="username" required autofocus></label>
<label>Password<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`);
}

export interface RunRow {
  id: string;
  deployment: string;
  status: string;
  trigger: string;
  createdAt: Date;
  durationMs: number | null;
  error: string | null;
}

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
const status = (s: string) => html`<span class="status ${s}">${s}</span>`;

export function runsPage(user: BoardUser, rows: RunRow[]): Html {
  return layout('Runs', user, html`<h2>Recent runs</h2>
<table><thead><tr><th>Run</th><th>Deployment</th><th>Status</th><th>Trigger</th><th>Queued</th><th class="num">Duration</th><th>Error</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><a href="/runs/${r.id}">${r.id}</a></td><td>${r.deployment}</td><td>${status(r.status)}</td><td>${r.trigger}</td>
<td>${r.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td class="num">${seconds(r.durationMs)}</td><td class="error">${r.error ?? ''}</td></tr>`)}
</tbody></table>${rows.length === 0 ? html`<p class="note">No runs yet.</p>` : ''}`);
}

export interface RunPageData {
  summary: RunSummary;
  trigger: string;
  /** Link to a stage's job on the board the user may use. */
  jobLink: (stage: string) => string;
  quarantined: Array<{ source: string; rowNumber: number; sourceId: string | null; field: string; reason: string }>;
  quarantinedTotal: number;
  resumable: boolean;
  message?: string;
}

export function runPage(user: BoardUser, data: RunPageData): Html {
  const { summary: s } = data;
  const operator = user.role === 'operator';
  return layout(`Run ${s.runId}`, user, html`<h2>Run ${s.runId} ${status(s.status)}</h2>
${data.message ? html`<p class="note">${data.message}</p>` : ''}
${s.error ? html`<p class="error">${s.error}</p>` : ''}
${operator && data.resumable ? html`<form method="post" action="/runs/${s.runId}/resume"><button type="submit">Retry failed stages</button>
<span class="note">reruns the failed stage; completed stages are kept, later stages follow</span></form>` : ''}
<dl><dt>Deployment</dt><dd>${s.deployment}</dd><dt>Trigger</dt><dd>${data.trigger}</dd><dt>Duration</dt><dd>${seconds(s.durationMs)}</dd>
<dt>Sources</dt><dd>${Object.entries(s.sources).map(([name, v]) => html`${name}: ${v.pulled} pulled, ${v.quarantined} quarantined; `)}</dd>
<dt>Candidate pairs</dt><dd>${s.candidatePairs}</dd><dt>Matched pairs</dt><dd>${s.matchedPairs}</dd><dt>Review pairs</dt><dd>${s.reviewPairs}</dd>
<dt>Golden records</dt><dd>${s.goldenRecords.total} (created ${s.goldenRecords.created}, updated ${s.goldenRecords.updated}, unchanged ${s.goldenRecords.unchanged}, retired ${s.goldenRecords.retired})</dd>
<dt>Not customers</dt><dd>${s.excluded}</dd></dl>
<h3>Stages</h3><table><thead><tr><th>Stage</th><th>Status</th><th class="num">Attempts</th><th class="num">Progress</th><th class="num">Duration</th><th>Error</th><th>Job</th></tr></thead><tbody>
${s.stages.map((st) => html`<tr data-stage="${st.stage}"><td>${st.stage}</td><td>${status(st.status)}</td><td class="num">${st.attempts}</td>
<td class="num">${Math.round(st.progress * 100)}%</td><td class="num">${seconds(st.durationMs)}</td><td class="error">${st.error ?? ''}</td>
<td><a href="${data.jobLink(st.stage)}">job</a></td></tr>`)}</tbody></table>
<h3>Quarantined rows (${data.quarantinedTotal})</h3>
${data.quarantined.length === 0 ? html`<p class="note">None.</p>` : html`<table><thead><tr><th>Source</th><th class="num">Row</th><th>Record id</th><th>Field</th><th>Reason</th></tr></thead><tbody>
${data.quarantined.map((q) => html`<tr><td>${q.source}</td><td class="num">${q.rowNumber}</td><td>${q.sourceId ?? ''}</td><td>${q.field}</td><td>${q.reason}</td></tr>`)}</tbody></table>
${data.quarantinedTotal > data.quarantined.length ? html`<p class="note">First ${data.quarantined.length} shown; \`goldrun\` keeps all of them in quarantined_rows.</p>` : ''}`}`);
}
