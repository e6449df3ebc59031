import { stringAt } from '../model/string-ids.js';
import { KeyEncoder, type NumberedKeys } from './plan-blocks.js';

/** Separates block keys in one text value (keys themselves use \u001f between parts). */
export const KEY_SEPARATOR = '\u001e';

/** One rule's numbered keys as plain arrays, to cross to another thread (NumberedKeys holds a function). */
export interface PortableKeys {
  ids: Int32Array;
  sizes: Uint32Array;
  codes: Uint16Array;
  offsets: Uint32Array;
}

/** How records' keys texts are read: rules, the separator between "rule:key" pieces, and the rules to leave out. */
export interface KeyTextOptions {
  ruleCount: number;
  separator: string;
  skip: ReadonlyArray<boolean>;
}

/**
 * Numbers records' stored blocking keys, a record at a time, from the text a loader reads
 * them in: "rule:key" pieces joined by a separator, read in place (splitting made ten
 * strings a record). Rules marked `skip` take their keys from elsewhere and get none here.
 */
export class KeyTexts {
  readonly encoders: KeyEncoder[];
  private readonly separator: string;
  private readonly skip: ReadonlyArray<boolean>;
  private readonly keyStart: Int32Array;
  private readonly keyEnd: Int32Array;

  constructor(options: KeyTextOptions) {
    this.separator = options.separator;
    this.skip = options.skip;
    this.encoders = Array.from({ length: options.ruleCount }, () => new KeyEncoder());
    this.keyStart = new Int32Array(options.ruleCount);
    this.keyEnd = new Int32Array(options.ruleCount);
  }

  /** A record's keys; with `only`, keys outside it are left out. */
  add(text: string, only?: ReadonlySet<string>): void {
    const { keyStart, keyEnd, encoders, separator } = this;
    keyStart.fill(-1);
    for (let at = 0; at < text.length;) {
      let end = text.indexOf(separator, at);
      if (end < 0) end = text.length;
      const colon = text.indexOf(':', at);
      if (colon > at && colon < end && (!only || only.has(text.slice(at, end)))) {
        let rule = 0;
        for (let k = at; k < colon; k++) rule = rule * 10 + text.charCodeAt(k) - 48;
        keyStart[rule] = colon + 1;
        keyEnd[rule] = end;
      }
      at = end + separator.length;
    }
    for (let r = 0; r < encoders.length; r++) {
      if (this.skip[r]) continue;
      if (keyStart[r]! < 0) encoders[r]!.pushNone();
      else encoders[r]!.pushRange(text, keyStart[r]!, keyEnd[r]!);
    }
  }

  /** Every record of keys numbered elsewhere (rule by rule, as `portable` gives them), after those added so far. */
  addNumbered(keys: ReadonlyArray<PortableKeys>): void {
    for (let r = 0; r < this.encoders.length; r++) if (!this.skip[r]) this.encoders[r]!.pushKeys(keys[r]!);
  }

  /** Per rule, its numbered keys (the skipped rules' are empty). */
  finish(): NumberedKeys[] {
    return this.encoders.map((e) => e.finish());
  }

  /** Per rule, its numbered keys as arrays another thread can take. */
  portable(): PortableKeys[] {
    return this.encoders.map((e) => e.portable());
  }
}

/** The buffers that hold portable keys, to move them to another thread rather than copy them. */
export function portableBuffers(keys: ReadonlyArray<PortableKeys>): ArrayBuffer[] {
  const buffers = keys.flatMap((k) => [k.ids.buffer, k.sizes.buffer, k.codes.buffer, k.offsets.buffer]);
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

export function fromPortable(keys: PortableKeys): NumberedKeys {
  const { codes, offsets } = keys;
  return { ids: keys.ids, sizes: keys.sizes, name: (id) => stringAt(codes, offsets, id) };
}
