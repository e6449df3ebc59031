import { shared } from '../model/columns.js';
import { appendRemapped, resized, StringIds, stringAt } from '../model/string-ids.js';

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

  /**
   * Every record of keys numbered elsewhere (a load's later records, read on another thread),
   * after those pushed so far: the same ids and sizes as pushing them one by one.
   */
  pushKeys(keys: { ids: Int32Array; sizes: Uint32Array; codes: Uint16Array; offsets: Uint32Array }): void {
    const remap = new Int32Array(keys.sizes.length);
    for (let k = 0; k < remap.length; k++) {
      const key = stringAt(keys.codes, keys.offsets, k);
      const id = this.dictionary.id(key);
      if (id >= this.sizes.length) this.sizes = resized(this.sizes, Math.max(this.sizes.length * 2, id + 1));
      this.sizes[id]! += keys.sizes[k]!;
      remap[k] = id;
    }
    this.ids = appendRemapped(this.ids, this.length, keys.ids, remap);
    this.length += keys.ids.length;
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
  // The compared blocks as columns: a block is its rule and a span of that rule's members.
  // At a million records an object and a subarray per block cost more than the planning.
  const blocks = new BlockList();
  const ruleMembers: Uint32Array[] = [];
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
      const id = ids[i]!;
      if (id >= 0) members[fill[id]!++] = i;
    }
    ruleMembers.push(members);
    for (let id = 0; id < distinct; id++) {
      const size = sizes[id]!;
      if (size > options.maxBlockSize) {
        oversized.push({ rule: r, key: name(id), records: size });
        // The rule produced no pairs here, so later rules must not treat these as done.
        for (let k = starts[id]!; k < starts[id + 1]!; k++) ruleKeys[members[k]! * ruleCount + r] = -1;
      } else if (size >= 2) {
        blocks.push(r, starts[id]!, size);
        rule.blocks++;
        rule.rawPairs += pairsIn(size);
        if (size > rule.largest) rule.largest = size;
      }
    }
  }
  const shardCount = Math.max(1, Math.min(options.shardCount, blocks.count));
  const shards = shardsOf(blocks, assignShards(blocks, shardCount), shardCount, ruleMembers);
  const rawPairs = shards.reduce((sum, shard) => sum + shard.rawPairs, 0);
  return { ruleCount, rules, ruleKeys, shards, blocks: blocks.count, rawPairs, oversized };
}

/** Pairs in a block of this many records. */
function pairsIn(records: number): number {
  return (records * (records - 1)) / 2;
}

/** Blocks in the order rules produce them: rule, where its records start in the rule's members, how many. */
class BlockList {
  count = 0;
  rule = new Uint8Array(1024);
  start = new Uint32Array(1024);
  size = new Uint32Array(1024);
  largest = 0;

  push(rule: number, start: number, size: number): void {
    if (this.count === this.rule.length) {
      this.rule = resized(this.rule, this.count * 2);
      this.start = resized(this.start, this.count * 2);
      this.size = resized(this.size, this.count * 2);
    }
    this.rule[this.count] = rule;
    this.start[this.count] = start;
    this.size[this.count++] = size;
    if (size > this.largest) this.largest = size;
  }
}

/**
 * Each block's shard: largest first (most pairs, then first produced) onto the shard with the
 * least work so far (pairs plus records), so that shards cost about the same to score. Sizes
 * are bounded by maxBlockSize, so the order comes from a count of blocks per size, not a sort.
 */
function assignShards(blocks: BlockList, shardCount: number): Uint16Array {
  const { count, size } = blocks;
  const firstOfSize = new Uint32Array(blocks.largest + 2);
  for (let b = 0; b < count; b++) firstOfSize[size[b]!]!++;
  // Largest first: blocks of size s come after every larger block.
  let at = 0;
  for (let s = blocks.largest; s >= 0; s--) {
    const blocksOfSize = firstOfSize[s]!;
    firstOfSize[s] = at;
    at += blocksOfSize;
  }
  const order = new Uint32Array(count);
  for (let b = 0; b < count; b++) order[firstOfSize[size[b]!]!++] = b;
  const load = new Float64Array(shardCount);
  const shardOf = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const b = order[k]!;
    let lightest = 0;
    for (let s = 1; s < shardCount; s++) if (load[s]! < load[lightest]!) lightest = s;
    shardOf[b] = lightest;
    const records = size[b]!;
    load[lightest]! += pairsIn(records) + records;
  }
  return shardOf;
}

/** Each shard's blocks in the order rules produced them, their records copied out of the rules' members. */
function shardsOf(blocks: BlockList, shardOf: Uint16Array, shardCount: number, ruleMembers: ReadonlyArray<Uint32Array>): Shard[] {
  const blockCount = new Uint32Array(shardCount);
  const memberCount = new Float64Array(shardCount);
  for (let b = 0; b < blocks.count; b++) {
    blockCount[shardOf[b]!]!++;
    memberCount[shardOf[b]!]! += blocks.size[b]!;
  }
  const shards: Shard[] = Array.from({ length: shardCount }, (_, s) => ({
    members: new Uint32Array(memberCount[s]!),
    blockStarts: new Uint32Array(blockCount[s]! + 1),
    blockRules: new Uint8Array(blockCount[s]!),
    rawPairs: 0,
  }));
  const nextBlock = new Uint32Array(shardCount);
  const nextMember = new Uint32Array(shardCount);
  for (let b = 0; b < blocks.count; b++) {
    const s = shardOf[b]!;
    const shard = shards[s]!;
    const k = nextBlock[s]!++;
    const records = blocks.size[b]!;
    let pos = nextMember[s]!;
    shard.blockStarts[k] = pos;
    shard.blockRules[k] = blocks.rule[b]!;
    const members = ruleMembers[blocks.rule[b]!]!;
    for (let m = blocks.start[b]!, end = m + records; m < end; m++) shard.members[pos++] = members[m]!;
    nextMember[s] = pos;
    shard.rawPairs += pairsIn(records);
  }
  for (let s = 0; s < shardCount; s++) shards[s]!.blockStarts[blockCount[s]!] = nextMember[s]!;
  return shards;
}
