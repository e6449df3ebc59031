import { hash } from 'node:crypto';
import type { Attributes } from '../model/attributes.js';
import { surviveCluster, type MemberRecord, type SurvivorshipPolicy } from './survive-cluster.js';
import { lineageTexts } from './lineage-json.js';
import { mintGoldenId } from '../golden/assign-golden-ids.js';
import { PACKED_SEPARATOR } from '../model/packed-values.js';

/**
 * A page of clusters' members, in cluster order, as columns: what a survive thread receives.
 * Attributes travel as the JSON text the database returned, so the thread, not the caller,
 * pays for parsing them.
 */
export interface SurvivePageInput {
  runId: string;
  policy: SurvivorshipPolicy;
  clusterKeys: Float64Array;
  recordIds: Float64Array;
  /** ms since epoch; NaN where the source gives no change time. */
  updatedMs: Float64Array;
  sources: string[];
  sourceIds: string[];
  /**
   * Per member, its attributes as JSON text; or, with `packed`, its values of
   * `policy.attributes` in that order, packed (src/model/packed-values.ts), '' where it has none
   * (survivorship skips empty values as missing ones).
   */
  attrs: string[];
  packed?: boolean;
  /**
   * Member m's attributes, where the caller has them otherwise than as text (`attrs` is then
   * not read): a survive thread reading held columns builds them straight from there.
   */
  attributesOf?: (member: number) => Attributes;
}

/** A staged golden row: run, cluster key, attrs JSON, packed lineage JSON, member count, content hash, minted golden id. */
export type GoldenRow = [runId: string, clusterKey: number, attrs: string, lineage: string, members: number, hash: string, mintedId: string];

export interface SurvivedPage {
  rows: GoldenRow[];
  /** Clusters whose members come from more than one source. */
  multiSource: number;
}

/**
 * Survives every cluster of a page. With `emit`, each row goes there as soon as it is made
 * (and `rows` stays empty): a page's rows held to the end were promoted by the collector.
 */
export function survivePage(input: SurvivePageInput, emit?: (row: GoldenRow) => void): SurvivedPage {
  const { runId, policy, clusterKeys, recordIds, updatedMs, sources, sourceIds, attrs, packed } = input;
  const unpack = packed ? unpacker(policy.attributes) : (text: string) => JSON.parse(text) as Attributes;
  const read = input.attributesOf ?? ((m: number) => unpack(attrs[m]!));
  const rows: GoldenRow[] = [];
  const put = emit ?? ((row: GoldenRow) => rows.push(row));
  let multiSource = 0;
  let start = 0;
  const n = clusterKeys.length;
  while (start < n) {
    const key = clusterKeys[start]!;
    let end = start;
    let mixed = false;
    const group: MemberRecord[] = [];
    for (; end < n && clusterKeys[end] === key; end++) {
      const updated = updatedMs[end]!;
      group.push({
        recordId: recordIds[end]!, source: sources[end]!, sourceId: sourceIds[end]!,
        updatedAt: Number.isNaN(updated) ? null : updated, attrs: read(end),
      });
      if (sources[end] !== sources[start]) mixed = true;
    }
    const golden = surviveCluster(group, policy);
    const attrsJson = JSON.stringify(golden.attrs);
    const lineage = lineageTexts(golden.lineage);
    // The hash is of the expanded lineage, as before lineage was stored packed: a record
    // that did not change keeps its hash, and the first run after an upgrade versions nothing.
    const hash = goldenContentHash(attrsJson, lineage.expanded);
    put([runId, key, attrsJson, lineage.packed, group.length, hash, mintGoldenId(runId, key)]);
    if (mixed) multiSource++;
    start = end;
  }
  return { rows, multiSource };
}

/** Reads a packed member's values back into attributes; the caller made sure each splits into one per attribute. */
function unpacker(attributes: ReadonlyArray<string>): (text: string) => Attributes {
  const last = attributes.length - 1;
  return (text) => {
    const out: Attributes = {};
    let at = 0;
    for (let a = 0; a < last; a++) {
      const end = text.indexOf(PACKED_SEPARATOR, at);
      out[attributes[a]!] = text.slice(at, end);
      at = end + 1;
    }
    out[attributes[last]!] = text.slice(at);
    return out;
  };
}

/**
 * `contentHash({ attrs, lineage })` of a survived record, from the JSON already made for
 * staging: surviveCluster writes keys in sorted order, so its plain JSON is the canonical
 * text contentHash would build again (the unit test holds the two equal).
 */
export function goldenContentHash(attrsJson: string, lineageJson: string): string {
  // One-shot, not a Hash object per record: 200,000 texts of a kilobyte hashed in 0.20-0.24 s, not 0.34-0.43 s.
  return hash('sha1', `{"attrs":${attrsJson},"lineage":${lineageJson}}`, 'base64url');
}
