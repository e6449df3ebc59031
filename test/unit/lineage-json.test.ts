import { describe, expect, it } from 'vitest';
import { lineageTexts } from '../../src/survive/lineage-json.js';
import { packLineage } from '../../src/survive/packed-lineage.js';
import { seededRandom } from '../../src/model/random.js';
import type { Lineage, LineageEntry } from '../../src/survive/survive-cluster.js';

/** What survive stored and hashed before lineageTexts: the two JSON.stringify texts. */
const stringified = (lineage: Lineage) => ({ expanded: JSON.stringify(lineage), packed: JSON.stringify(packLineage(lineage)) });

const awkward = ['crm', 'a "quoted" id', 'back\\slash', 'tab\there', 'line\nbreak', '\u0001\u001f', 'Zoë Ørsted', '山田', '😀', '\ud800 lone', ''];

describe('lineageTexts', () => {
  it('writes the JSON.stringify texts of the expanded and the packed lineage, character for character', () => {
    const random = seededRandom(11);
    const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(random() * xs.length)]!;
    const rules: Array<LineageEntry['rule']> = ['mostRecent', 'mostFrequent', 'aggregate', 'sourcePriority', 'trustDecay'];
    const names = ['birthDate', 'city', 'email', 'firstName', '2', 'na"me', '10', 'zip'];
    for (let n = 0; n < 2000; n++) {
      // A few records per golden record, as survive meets them; their attributes point at them in any order.
      const records = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        source: pick(awkward), sourceId: pick(awkward), updatedAt: random() < 0.3 ? null : pick(['2024-01-02T03:04:05.000Z', 'x"y', awkward[6]!]),
      }));
      const lineage: Lineage = {};
      for (const name of names) {
        if (random() < 0.2) continue;
        const rule = pick(rules);
        const entry: LineageEntry = { candidates: 1 + Math.floor(random() * 4), rule, ...pick(records) };
        if (rule === 'aggregate') entry.values = [{ sources: [`${entry.source}:${entry.sourceId}`], value: pick(awkward) }, { sources: [], value: 'b' }];
        lineage[name] = entry;
      }
      expect(lineageTexts(lineage)).toEqual(stringified(lineage));
    }
  });

  it('writes an empty lineage, and one record repeated with another change time as two records', () => {
    expect(lineageTexts({})).toEqual(stringified({}));
    expect(lineageTexts({})).toEqual({ expanded: '{}', packed: '[[],[],{}]' });
    const lineage: Lineage = {
      a: { candidates: 2, rule: 'mostRecent', source: 'crm', sourceId: '1', updatedAt: '2024-01-01T00:00:00.000Z' },
      b: { candidates: 1, rule: 'mostRecent', source: 'crm', sourceId: '1', updatedAt: null },
      c: { candidates: 1, rule: 'mostFrequent', source: 'crm', sourceId: '1', updatedAt: '2024-01-01T00:00:00.000Z' },
    };
    expect(lineageTexts(lineage)).toEqual(stringified(lineage));
    expect(JSON.parse(lineageTexts(lineage).packed)[0]).toHaveLength(2);
  });
});
