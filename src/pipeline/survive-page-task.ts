import { copyBytes } from '../db/copy-text.js';
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
  const page = survivePage(task);
  const clusters = page.rows.length;
  if (task.format === 'rows') return { clusters, multiSource: page.multiSource, rows: page.rows };
  return { clusters, multiSource: page.multiSource, copy: copyBytes(page.rows) };
}
