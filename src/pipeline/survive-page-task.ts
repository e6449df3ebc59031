import { CopyWriter } from '../db/copy-text.js';
import { survivePage, type SurvivedPage, type SurvivePageInput } from '../survive/survive-page.js';

export interface SurvivePageTask extends SurvivePageInput {
  /** 'copy': the staged rows come back as COPY text in UTF-8, formatted on the thread, not the job's. */
  format: 'copy' | 'rows';
}

export interface SurvivePageResult {
  clusters: number;
  multiSource: number;
  copy?: Uint8Array;
  rows?: SurvivedPage['rows'];
}

/** One page of the survive stage, on a scoring thread (workers/survive-page) or inline. */
export function runSurvivePageTask(task: SurvivePageTask): SurvivePageResult {
  if (task.format === 'rows') {
    const page = survivePage(task);
    return { clusters: page.rows.length, multiSource: page.multiSource, rows: page.rows };
  }
  // About 600 bytes a golden row (the buffer grows past that when lineage is longer), and never
  // more rows than members.
  const out = new CopyWriter(task.clusterKeys.length * 600);
  let clusters = 0;
  const page = survivePage(task, (row) => {
    for (let c = 0; c < row.length; c++) out.cell(row[c]!, c === 0);
    out.endRow();
    clusters++;
  });
  return { clusters, multiSource: page.multiSource, copy: out.bytes() };
}
