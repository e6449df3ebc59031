import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchArgs, reportBenchFailure, UsageError } from '../../bench/args.js';

const OPTIONS = {
  records: { type: 'string', default: '100000' },
  incremental: { type: 'string' },
  keep: { type: 'boolean', default: false },
} as const;

describe('benchArgs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('reads the options, with their defaults', () => {
    expect(benchArgs('usage', OPTIONS, ['records'], ['--records', '1e6', '--keep'])).toEqual({ records: '1e6', keep: true });
    expect(benchArgs('usage', OPTIONS, ['records'], [])).toEqual({ records: '100000', keep: false });
  });

  it('prints the usage for --help and -h, and gives nothing to run', () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(benchArgs('Usage: bench', OPTIONS, ['records'], ['--help'])).toBeNull();
    expect(benchArgs('Usage: bench', OPTIONS, ['records'], ['-h'])).toBeNull();
    expect(out.mock.calls.map((c) => c[0])).toEqual(['Usage: bench\n', 'Usage: bench\n']);
  });

  it('names an unknown option', () => {
    expect(() => benchArgs('usage', OPTIONS, ['records'], ['--record', '10'])).toThrow(UsageError);
    expect(() => benchArgs('usage', OPTIONS, ['records'], ['--record', '10'])).toThrow(/--record\b/);
  });

  it('names a number option that is not a number of 0 or more', () => {
    for (const bad of ['lots', '', '-5', 'Infinity']) {
      expect(() => benchArgs('usage', OPTIONS, ['records', 'incremental'], [`--incremental=${bad}`])).toThrow(`--incremental must be a number of 0 or more, not "${bad}"`);
    }
    expect(benchArgs('usage', OPTIONS, ['records', 'incremental'], ['--incremental', '0.01'])?.incremental).toBe('0.01');
  });

  it('reports a usage error in one line with the usage and exit code 2, anything else with its stack and 1', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    reportBenchFailure('bench', 'Usage: bench', new UsageError('--records must be a number'));
    expect(err.mock.calls[0]![0]).toBe('bench: --records must be a number\nUsage: bench\n');
    expect(process.exitCode).toBe(2);
    reportBenchFailure('bench', 'Usage: bench', new Error('redis is down'));
    expect(err.mock.calls[1]![0]).toMatch(/^bench failed: Error: redis is down\n\s+at /);
    expect(process.exitCode).toBe(1);
  });
});
