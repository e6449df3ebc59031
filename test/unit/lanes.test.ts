import { describe, expect, it } from 'vitest';
import { runLanes } from '../../src/pipeline/lanes.js';

describe('runLanes', () => {
  it('runs every lane side by side until the work runs out', async () => {
    let next = 0;
    const done: number[] = [];
    const lanesSeen = new Set<number>();
    let lane = 0;
    await runLanes(3, async (stopped) => {
      const me = lane++;
      for (let item = next++; item < 10 && !stopped(); item = next++) {
        await new Promise((r) => setTimeout(r, 1));
        lanesSeen.add(me);
        done.push(item);
      }
    });
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lanesSeen.size).toBe(3);
  });

  it('tells the other lanes to stop at the first error, and throws it only once none is still working', async () => {
    let lane = 0;
    let slowSawStop = false;
    let slowFinished = false;
    const run = runLanes(2, async (stopped) => {
      if (lane++ === 0) throw new Error('first');
      await new Promise((r) => setTimeout(r, 20));
      slowSawStop = stopped();
      slowFinished = true;
      throw new Error('second');
    });
    await expect(run).rejects.toThrow('first');
    expect(slowSawStop).toBe(true);
    expect(slowFinished).toBe(true);
  });
});
