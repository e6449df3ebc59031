import { PACKED_SEPARATOR, splitsInto } from '../model/packed-values.js';
import type { SurvivePageInput } from './survive-page.js';

/** Between members in a page's text; values within a member are separated by PACKED_SEPARATOR. */
export const MEMBER_SEPARATOR = '\u001e';

/** The columns of a page read from its text: SurvivePageInput without run and policy. */
export type PageColumns = Omit<SurvivePageInput, 'runId' | 'policy'>;

/**
 * A page of members from the one text survive's query aggregates: per member, in cluster
 * order, its cluster key, record id, source, source id, change time in ms ('' for none) and
 * then its values of the policy's `attributes` attributes, packed; all separated by
 * PACKED_SEPARATOR, members by MEMBER_SEPARATOR.
 *
 * Null when the text is not `members` members of that shape. A value can only add separators,
 * never take one away, so a page with a value holding either is always caught here, and the
 * caller reads that page another way.
 */
export function decodePageText(text: string, members: number, attributes: number): PageColumns | null {
  const page: PageColumns = {
    clusterKeys: new Float64Array(members), recordIds: new Float64Array(members), updatedMs: new Float64Array(members),
    sources: new Array<string>(members), sourceIds: new Array<string>(members), attrs: new Array<string>(members), packed: true,
  };
  if (members === 0) return text === '' ? page : null;
  let at = 0;
  for (let m = 0; m < members; m++) {
    const next = text.indexOf(MEMBER_SEPARATOR, at);
    const end = next < 0 ? text.length : next;
    if ((next < 0) !== (m === members - 1)) return null;
    const key = text.indexOf(PACKED_SEPARATOR, at);
    const id = text.indexOf(PACKED_SEPARATOR, key + 1);
    const source = text.indexOf(PACKED_SEPARATOR, id + 1);
    const sourceId = text.indexOf(PACKED_SEPARATOR, source + 1);
    const updated = text.indexOf(PACKED_SEPARATOR, sourceId + 1);
    if (key < 0 || id < key || source < id || sourceId < source || updated < sourceId || updated >= end) return null;
    const values = text.slice(updated + 1, end);
    if (!splitsInto(values, attributes)) return null;
    page.clusterKeys[m] = Number(text.slice(at, key));
    page.recordIds[m] = Number(text.slice(key + 1, id));
    page.sources[m] = text.slice(id + 1, source);
    page.sourceIds[m] = text.slice(source + 1, sourceId);
    page.updatedMs[m] = sourceId + 1 === updated ? Number.NaN : Number(text.slice(sourceId + 1, updated));
    page.attrs[m] = values;
    at = end + 1;
  }
  return page;
}
