import { CopyWriter } from '../db/copy-text.js';
import { survivePage, type SurvivedPage, type SurvivePageInput } from '../survive/survive-page.js';
import { decodePageText } from '../survive/page-text.js';
import { valueOf } from '../model/columns.js';
import type { Attributes } from '../model/attributes.js';
import type { HeldMembers } from './match-plan-cache.js';

/** A page as the one text survive's query aggregates (src/survive/page-text.ts), decoded on the thread. */
export interface SurvivePageText {
  runId: string;
  policy: SurvivePageInput['policy'];
  text: string;
  members: number;
}

/**
 * A page whose members this process holds (heldMembers): each member's cluster key, record id
 * and position in the held columns, which the thread reads values from. Held is mostly
 * shared memory, so a task carries little more than its positions.
 */
export interface SurvivePageHeld {
  runId: string;
  policy: SurvivePageInput['policy'];
  clusterKeys: Float64Array;
  recordIds: Float64Array;
  positions: Int32Array;
  held: Omit<HeldMembers, 'ids'>;
}

export type SurvivePageTask = (SurvivePageInput | SurvivePageText | SurvivePageHeld) & {
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
  const input = 'text' in task ? pageInput(task) : 'positions' in task ? heldPageInput(task) : task;
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

/**
 * The page's members from the held columns: the values the text path decodes from Postgres'
 * text (the load read them with the same expressions), each attribute's straight from its
 * column, with no text to build and split again.
 */
function heldPageInput(task: SurvivePageHeld): SurvivePageInput {
  const { positions, held, policy } = task;
  const n = positions.length;
  const updatedMs = new Float64Array(n);
  const sources = new Array<string>(n);
  const sourceIds = new Array<string>(n);
  for (let m = 0; m < n; m++) {
    const p = positions[m]!;
    updatedMs[m] = held.updatedMs[p]!;
    sources[m] = held.sources[held.source[p]!]!;
    sourceIds[m] = valueOf(held.sourceIds, p) ?? '';
  }
  const attributes = policy.attributes;
  const columns = held.attributes;
  const attributesOf = (m: number): Attributes => {
    const p = positions[m]!;
    const out: Attributes = {};
    // '' where a record has no value, as the packed text gives it: survivorship skips both alike.
    for (let a = 0; a < columns.length; a++) out[attributes[a]!] = valueOf(columns[a]!, p) ?? '';
    return out;
  };
  return {
    runId: task.runId, policy, clusterKeys: task.clusterKeys, recordIds: task.recordIds,
    updatedMs, sources, sourceIds, attrs: [], attributesOf,
  };
}
