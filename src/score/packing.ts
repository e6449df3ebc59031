import type { PatternHistogram, ScoredPairs } from './pair-scan.js';

/**
 * A worker can hand back only one transferable buffer per result without copying, so
 * results are packed into a single ArrayBuffer and read back as views.
 */
export function packScored(s: ScoredPairs): ArrayBuffer {
  const n = s.left.length;
  const buffer = new ArrayBuffer(8 + n * 12);
  new Float64Array(buffer, 0, 1)[0] = s.pairs;
  new Uint32Array(buffer, 8, n).set(s.left);
  new Uint32Array(buffer, 8 + n * 4, n).set(s.right);
  new Float32Array(buffer, 8 + n * 8, n).set(s.weight);
  return buffer;
}

export function unpackScored(buffer: ArrayBuffer): ScoredPairs {
  const n = (buffer.byteLength - 8) / 12;
  return {
    pairs: new Float64Array(buffer, 0, 1)[0]!,
    left: new Uint32Array(buffer, 8, n),
    right: new Uint32Array(buffer, 8 + n * 4, n),
    weight: new Float32Array(buffer, 8 + n * 8, n),
  };
}

export function packHistogram(h: PatternHistogram): ArrayBuffer {
  const p = h.patterns.length;
  const out = new Float64Array(1 + 2 * p);
  out[0] = h.pairs;
  out.set(h.patterns, 1);
  out.set(h.counts, 1 + p);
  return out.buffer;
}

export function unpackHistogram(buffer: ArrayBuffer): PatternHistogram {
  const p = (buffer.byteLength / 8 - 1) / 2;
  return {
    pairs: new Float64Array(buffer, 0, 1)[0]!,
    patterns: new Float64Array(buffer, 8, p),
    counts: new Float64Array(buffer, 8 + p * 8, p),
  };
}
