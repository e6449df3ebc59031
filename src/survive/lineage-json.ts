import type { Lineage } from './survive-cluster.js';

/** `JSON.stringify(lineage)` (what the content hash is taken over) and `JSON.stringify(packLineage(lineage))` (what is stored). */
export interface LineageTexts {
  expanded: string;
  packed: string;
}

/** Attribute and rule names (a few, from the settings) as JSON, written once per process rather than once per golden record. */
const names = new Map<string, string>();

function nameText(name: string): string {
  let text = names.get(name);
  if (text === undefined) names.set(name, (text = JSON.stringify(name)));
  return text;
}

/**
 * Both JSON texts of a lineage in one pass, character for character what JSON.stringify
 * writes of the expanded and the packed form. Most of a golden record's attributes come from
 * the same one or two records, so each record's source, id and time are escaped once, not
 * once per attribute: stringifying the two object trees was a third of a survive thread's
 * work (docs/benchmarks.md, nineteenth pass).
 */
export function lineageTexts(lineage: Lineage): LineageTexts {
  let expanded = '{';
  let picks = '{';
  let records = '';
  let rules = '';
  // The records and rules met so far, in order of first use: their index in the packed arrays.
  const recordKeys: Array<{ source: string; sourceId: string; updatedAt: string | null; fields: string }> = [];
  const ruleNames: string[] = [];
  let first = true;
  // Object.keys: the order JSON.stringify writes (integer-like names first), whatever the insertion order.
  for (const attribute of Object.keys(lineage)) {
    const e = lineage[attribute]!;
    let record = -1;
    for (let r = 0; r < recordKeys.length; r++) {
      const k = recordKeys[r]!;
      if (k.source === e.source && k.sourceId === e.sourceId && k.updatedAt === e.updatedAt) {
        record = r;
        break;
      }
    }
    if (record < 0) {
      const source = JSON.stringify(e.source);
      const sourceId = JSON.stringify(e.sourceId);
      const updatedAt = e.updatedAt === null ? 'null' : JSON.stringify(e.updatedAt);
      record = recordKeys.push({ source: e.source, sourceId: e.sourceId, updatedAt: e.updatedAt, fields: `"source":${source},"sourceId":${sourceId},"updatedAt":${updatedAt}` }) - 1;
      records += `${record === 0 ? '' : ','}[${source},${sourceId},${updatedAt}]`;
    }
    let rule = ruleNames.indexOf(e.rule);
    if (rule < 0) {
      rule = ruleNames.push(e.rule) - 1;
      rules += `${rule === 0 ? '' : ','}${nameText(e.rule)}`;
    }
    const key = nameText(attribute);
    const values = e.values === undefined ? '' : JSON.stringify(e.values);
    const comma = first ? '' : ',';
    first = false;
    expanded += `${comma}${key}:{"candidates":${e.candidates},"rule":${nameText(e.rule)},${recordKeys[record]!.fields}${values === '' ? '' : `,"values":${values}`}}`;
    picks += `${comma}${key}:[${record},${rule},${e.candidates}${values === '' ? '' : `,${values}`}]`;
  }
  return { expanded: `${expanded}}`, packed: `[[${records}],[${rules}],${picks}}]` };
}
