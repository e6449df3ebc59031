import { CopyWriter } from '../db/copy-text.js';
import { survivePage, type SurvivedPage, type SurvivePageInput } from '../survive/survive-page.js';
import { decodePageText } from '../survive/page-text.js';

/** A page as the one text survive's query aggregates (src/survive/page-text.ts), decoded on the thread. */
export interface SurvivePageText {
  runId: string;
  policy: SurvivePageInput['policy'];
  text: string;
  members: number;
}

export type SurvivePageTask = (SurvivePageInput | SurvivePageText) & {
  /** 'copy': the staged rows come back as COPY text in UTF-8, formatted on the thread, not the job's. */
  format: 'copy' | 'rows';
};

export interface SurvivePageResult {
  clusters: number;
  multiSource: number;
  copy?: Uint8Array;
  rows?: SurvivedPage['rows'];
  /** The page's text did not split into its members (a value holds a separator): nothing was survived. */
  unreadable?: boolean;
}

/** One page of the survive stage, on a scoring thread (workers/survive-page) or inline. */
export function runSurvivePageTask(task: SurvivePageTask): SurvivePageResult {
  const input = 'text' in task ? pageInput(task) : task;
  if (input === null) return { clusters: 0, multiSource: 0, unreadable: true };
  if (task.format === 'rows') {
    const page = survivePage(input);
    return { clusters: page.rows.length, multiSource: page.multiSource, rows: page.rows };
  }
  // About 600 bytes a golden row (the buffer grows past that when lineage is longer), and never
  // more rows than members.
  const out = new CopyWriter(input.clusterKeys.length * 600);
  let clusters = 0;
  const page = survivePage(input, (row) => {
    for (let c = 0; c < row.length; c++) out.cell(row[c]!, c === 0);
    out.endRow();
    clusters++;
  });
  return { clusters, multiSource: page.multiSource, copy: out.bytes() };
}

function pageInput(task: SurvivePageText): SurvivePageInput | null {
  const columns = decodePageText(task.text, task.members, task.policy.attributes.length);
  return columns === null ? null : { ...columns, runId: task.runId, policy: task.policy };
}
