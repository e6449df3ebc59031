import { shared } from '../model/columns.js';
import { resized, StringIds } from '../model/string-ids.js';

/** A block too large to compare all its pairs: usually a placeholder or shared value. */
export interface OversizedBlock {
  rule: number;
  key: string;
  records: number;
}

export interface Shard {
  /** Record indices, block after block; ascending within a block. */
  members: Uint32Array;
  /** Block b spans members[blockStarts[b]] .. members[blockStarts[b + 1]]. */
  blockStarts: Uint32Array;
  /** The rule each block comes from. */
  blockRules: Uint8Array;
  /** Pairs in its blocks before removing those an earlier rule already produced. */
  rawPairs: number;
}

/** One rule's blocks that are compared (two records or more, not oversized). */
export interface RuleBlocks {
  blocks: number;
  rawPairs: number;
  largest: number;
}

export interface BlockPlan {
  ruleCount: number;
  /** Per rule, the blocks it contributes: what the run reports as its blocking. */
  rules: RuleBlocks[];
  /** Per record and rule (record * ruleCount + rule): the block key id, or -1 (no key, or an oversized block). */
  ruleKeys: Int32Array;
  shards: Shard[];
  blocks: number;
  rawPairs: number;
  oversized: OversizedBlock[];
}

/**
 * Groups records into blocks per rule and spreads the blocks over shards, largest first
 * onto the lightest shard, so that shards cost about the same to score.
 *
 * Key ids live in a shared array so a worker can tell that a pair was already produced by
 * an earlier rule (both records hold the same key there) without any global pair set.
 */
export function planBlocks(
  keys: ReadonlyArray<ReadonlyArray<string | null>>,
  options: { records: number; shardCount: number; maxBlockSize: number },
): BlockPlan {
  return planKeyedBlocks(keys.map((values) => numberKeys(values, options.records)), options);
}

/** One rule's keys of the first `records` records, numbered. */
export function numberKeys(values: ReadonlyArray<string | null | undefined>, records: number): NumberedKeys {
  const encoder = new KeyEncoder();
  for (let i = 0; i < records; i++) encoder.push(values[i]);
  return encoder.finish();
}

/** One rule's blocking keys, numbered: each record's key id (-1 for none), the keys by id and how many records hold each. */
export interface NumberedKeys {
  ids: Int32Array;
  /** Records holding each key, by id. */
  sizes: Uint32Array;
  /** The key numbered id. */
  name: (id: number) => string;
}

/** A rule's keys numbered as records arrive, so that a loader keeps each distinct key once. */
export class KeyEncoder {
  private ids = new Int32Array(1024);
  private length = 0;
  private sizes = new Uint32Array(1024);
  private readonly dictionary = new StringIds();

  push(key: string | null | undefined): void {
    if (key === null || key === undefined) this.pushNone();
    else this.pushRange(key, 0, key.length);
  }

  /** A record with no key under this rule. */
  pushNone(): void {
    if (this.length === this.ids.length) this.ids = resized(this.ids, this.length * 2);
    this.ids[this.length++] = -1;
  }

  /** A record whose key is text.slice(start, end): read in place, as a loader finds it in a longer text. */
  pushRange(text: string, start: number, end: number): void {
    if (this.length === this.ids.length) this.ids = resized(this.ids, this.length * 2);
    const id = this.dictionary.idOf(text, start, end);
    if (id === this.sizes.length) this.sizes = resized(this.sizes, id * 2);
    this.sizes[id]!++;
    this.ids[this.length++] = id;
  }

  finish(): NumberedKeys {
    const dictionary = this.dictionary;
    return { ids: this.ids.subarray(0, this.length), sizes: this.sizes.subarray(0, dictionary.size), name: (id) => dictionary.value(id) };
  }

  /** The same as plain arrays (views of this encoder's own buffers), to send to another thread. */
  portable(): { ids: Int32Array; sizes: Uint32Array; codes: Uint16Array; offsets: Uint32Array } {
    return { ids: this.ids.subarray(0, this.length), sizes: this.sizes.subarray(0, this.dictionary.size), ...this.dictionary.codeUnits() };
  }
}

/** planBlocks over keys already numbered per rule. */
export function planKeyedBlocks(
  keys: ReadonlyArray<NumberedKeys>,
  options: { records: number; shardCount: number; maxBlockSize: number },
): BlockPlan {
  const n = options.records;
  const ruleCount = keys.length;
  const ruleKeys = shared(Int32Array, n * ruleCount);
  const oversized: OversizedBlock[] = [];
  interface Block { rule: number; records: Uint32Array; pairs: number }
  const blocks: Block[] = [];
  const rules: RuleBlocks[] = [];
  for (let r = 0; r < ruleCount; r++) {
    const rule: RuleBlocks = { blocks: 0, rawPairs: 0, largest: 0 };
    rules.push(rule);
    const { ids, sizes, name } = keys[r]!;
    const distinct = sizes.length;
    if (ids.length !== n) throw new Error(`blocking rule ${r} has keys for ${ids.length} records, not ${n}`);
    for (let i = 0; i < n; i++) ruleKeys[i * ruleCount + r] = ids[i]!;
    const starts = new Uint32Array(distinct + 1);
    for (let id = 0; id < distinct; id++) starts[id + 1] = starts[id]! + sizes[id]!;
    const fill = starts.slice(0, distinct);
    const members = new Uint32Array(starts[distinct]!);
    for (let i = 0; i < n; i++) {
      const id = ruleKeys[i * ruleCount + r]!;
      if (id >= 0) members[fill[id]!++] = i;
    }
    for (let id = 0; id < distinct; id++) {
      const size = sizes[id]!;
      if (size > options.maxBlockSize) {
        oversized.push({ rule: r, key: name(id), records: size });
        // The rule produced no pairs here, so later rules must not treat these as done.
        for (let k = starts[id]!; k < starts[id + 1]!; k++) ruleKeys[members[k]! * ruleCount + r] = -1;
      } else if (size >= 2) {
        const pairs = (size * (size - 1)) / 2;
        blocks.push({ rule: r, records: members.subarray(starts[id]!, starts[id + 1]!), pairs });
        rule.blocks++;
        rule.rawPairs += pairs;
        if (size > rule.largest) rule.largest = size;
      }
    }
  }
  const shardCount = Math.max(1, Math.min(options.shardCount, blocks.length));
  const order = blocks.map((_, b) => b).sort((a, b) => blocks[b]!.pairs - blocks[a]!.pairs || a - b);
  const load = new Float64Array(shardCount);
  const assigned: number[][] = Array.from({ length: shardCount }, () => []);
  for (const b of order) {
    let lightest = 0;
    for (let s = 1; s < shardCount; s++) if (load[s]! < load[lightest]!) lightest = s;
    assigned[lightest]!.push(b);
    load[lightest]! += blocks[b]!.pairs + blocks[b]!.records.length;
  }
  let rawPairs = 0;
  const shards: Shard[] = assigned.map((list) => {
    list.sort((a, b) => a - b);
    let total = 0;
    for (const b of list) total += blocks[b]!.records.length;
    const members = new Uint32Array(total);
    const blockStarts = new Uint32Array(list.length + 1);
    const blockRules = new Uint8Array(list.length);
    let pos = 0;
    let pairs = 0;
    list.forEach((b, k) => {
      const block = blocks[b]!;
      blockStarts[k] = pos;
      blockRules[k] = block.rule;
      members.set(block.records, pos);
      pos += block.records.length;
      pairs += block.pairs;
    });
    blockStarts[list.length] = pos;
    rawPairs += pairs;
    return { members, blockStarts, blockRules, rawPairs: pairs };
  });
  return { ruleCount, rules, ruleKeys, shards, blocks: blocks.length, rawPairs, oversized };
}
