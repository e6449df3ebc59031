import { describe, expect, it } from 'vitest';
import { KeyTexts } from '../../src/block/key-texts.js';
import { KeyThread } from '../../src/block/key-thread.js';
import type { NumberedKeys } from '../../src/block/plan-blocks.js';

const SEP = '\u001e';

/** Records' keys texts as the load reads them: "rule:key" pieces, some rules missing, keys repeated and odd. */
const texts = [
  `0:ann${SEP}1:lee\u001f1980${SEP}2:+1415`,
  `1:lee\u001f1980`,
  '',
  `2:+1415${SEP}0:ann`,
  `0:${SEP}1:ünïcode 𝄞`,
  `0:ann${SEP}1:x:y`,
];

function plain(keys: NumberedKeys[]) {
  return keys.map((k) => ({ ids: Array.from(k.ids), sizes: Array.from(k.sizes), names: Array.from(k.sizes, (_, id) => k.name(id)) }));
}

describe('blocking keys numbered on a thread', () => {
  it('numbers every record\'s keys as the loading thread does, rule by rule, leaving skipped rules empty', async () => {
    const skip = [false, true, false];
    const here = new KeyTexts({ ruleCount: 3, separator: SEP, skip });
    const thread = new KeyThread({ ruleCount: 3, separator: SEP, skip });
    texts.forEach((t, i) => {
      here.add(t);
      thread.add(t);
      if (i === 2) thread.flush();
    });
    const numbered = plain(await thread.finish());
    expect(numbered).toEqual(plain(here.finish()));
    expect(numbered[0]).toEqual({ ids: [0, -1, -1, 0, 1, 0], sizes: [3, 1], names: ['ann', ''] });
    expect(numbered[1]!.ids).toEqual([]);
    expect(numbered[2]!.names).toEqual(['+1415']);
  });

  it('fails instead of waiting when the thread is gone', async () => {
    const thread = new KeyThread({ ruleCount: 1, separator: SEP, skip: [false] });
    thread.add('0:a');
    await thread.stop();
    await expect(thread.finish()).rejects.toThrow(/key numbering thread exited/);
  });
});
