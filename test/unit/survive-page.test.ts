import { afterAll, describe, expect, it } from 'vitest';
import { copyText } from '../../src/db/copy-text.js';
import { contentHash, toJson } from '../../src/pipeline/row-hash.js';
import { runSurvivePageTask, type SurvivePageTask } from '../../src/pipeline/survive-page-task.js';
import { createThreadPool } from '../../src/score/thread-pool.js';
import { surviveCluster, type MemberRecord, type SurvivorshipPolicy } from '../../src/survive/survive-cluster.js';
import { packLineage, unpackLineage } from '../../src/survive/packed-lineage.js';
import { mintGoldenId } from '../../src/golden/assign-golden-ids.js';
import { PACKED_SEPARATOR, splitsInto } from '../../src/model/packed-values.js';
import { decodePageText, MEMBER_SEPARATOR } from '../../src/survive/page-text.js';

const policy: SurvivorshipPolicy = {
  attributes: ['firstName', 'email', 'birthDate'],
  defaultRule: { rule: 'mostRecent' },
  rules: { email: { rule: 'aggregate' }, firstName: { rule: 'mostFrequent' } },
  trust: { crm: 0.9, shop: 0.5 },
};

/** Three clusters in cluster order: two members from two sources, one alone, three from one source with a tab in a value. */
const clusters: MemberRecord[][] = [
  [
    { recordId: 1, source: 'crm', sourceId: 'c1', updatedAt: Date.parse('2024-01-02'), attrs: { firstName: 'ann', email: 'a@x.io', birthDate: null } },
    { recordId: 7, source: 'shop', sourceId: 's7', updatedAt: null, attrs: { firstName: 'anne', email: 'ann@y.io', birthDate: '1980-02-03' } },
  ],
  [{ recordId: 2, source: 'shop', sourceId: 's2', updatedAt: 0, attrs: { firstName: 'bo', email: null, birthDate: '1990-01-01' } }],
  [
    { recordId: 3, source: 'crm', sourceId: 'c3', updatedAt: Date.parse('2020-05-05'), attrs: { firstName: 'cy', email: 'c\t@z.io', birthDate: null } },
    { recordId: 4, source: 'crm', sourceId: 'c4', updatedAt: Date.parse('2021-05-05'), attrs: { firstName: 'cy', email: 'c@z.io', birthDate: '1970-07-07' } },
    { recordId: 9, source: 'crm', sourceId: 'c9', updatedAt: null, attrs: { firstName: 'cy', email: null, birthDate: null } },
  ],
];

function task(format: SurvivePageTask['format'], packed = false): SurvivePageTask {
  const members = clusters.flatMap((c) => c.map((m) => ({ ...m, key: c[0]!.recordId })));
  return {
    runId: 'r1', policy, format,
    clusterKeys: Float64Array.from(members.map((m) => m.key)),
    recordIds: Float64Array.from(members.map((m) => m.recordId)),
    updatedMs: Float64Array.from(members.map((m) => m.updatedAt ?? Number.NaN)),
    sources: members.map((m) => m.source),
    sourceIds: members.map((m) => m.sourceId),
    // Packed as the stage's query packs them: the policy's attributes in its order, '' for none.
    attrs: members.map((m) => packed ? policy.attributes.map((a) => m.attrs[a] ?? '').join(PACKED_SEPARATOR) : JSON.stringify(m.attrs)),
    packed,
  };
}

type PageMember = MemberRecord & { key: number };

function pageMembers(): PageMember[] {
  return clusters.flatMap((c) => c.map((m) => ({ ...m, key: c[0]!.recordId })));
}

/** Members as survive's query aggregates a page: concat_ws of each member's fields, string_agg of the members. */
function pageText(members: ReadonlyArray<PageMember> = pageMembers()): string {
  return members
    .map((m) => [m.key, m.recordId, m.source, m.sourceId, m.updatedAt ?? '', ...policy.attributes.map((a) => m.attrs[a] ?? '')].join(PACKED_SEPARATOR))
    .join(MEMBER_SEPARATOR);
}

/** One row per cluster from surviveCluster: lineage stored packed, the hash of the expanded lineage as before packing. */
const expected = clusters.map((c) => {
  const golden = surviveCluster(c, policy);
  return ['r1', c[0]!.recordId, toJson(golden.attrs), toJson(packLineage(golden.lineage)), c.length, contentHash({ attrs: golden.attrs, lineage: golden.lineage }), mintGoldenId('r1', c[0]!.recordId)];
});

describe('survive page', () => {
  const pool = createThreadPool(1);
  afterAll(() => pool.destroy());

  it('survives each cluster of a page from its columns as surviveCluster does, counting clusters from several sources', () => {
    const page = runSurvivePageTask(task('rows'));
    expect(page.rows).toEqual(expected);
    expect(page.clusters).toBe(3);
    expect(page.multiSource).toBe(1);
    expect(JSON.parse(page.rows![0]![2] as string)).toEqual({ firstName: 'ann', email: 'a@x.io', birthDate: '1980-02-03' });
    expect(page.rows!.map((r) => unpackLineage(JSON.parse(r[3] as string)))).toEqual(clusters.map((c) => surviveCluster(c, policy).lineage));
  });

  it('survives packed members as it does members in JSON', () => {
    expect(runSurvivePageTask(task('rows', true)).rows).toEqual(expected);
  });

  it('tells a packed text that splits into one value per attribute from one where a value holds the separator', () => {
    expect(splitsInto(['a', '', 'b'].join(PACKED_SEPARATOR), 3)).toBe(true);
    expect(splitsInto(['', '', ''].join(PACKED_SEPARATOR), 3)).toBe(true);
    expect(splitsInto(['a', `x${PACKED_SEPARATOR}y`, 'b'].join(PACKED_SEPARATOR), 3)).toBe(false);
    expect(splitsInto('a', 3)).toBe(false);
  });

  it('reads a page from the one text its query aggregates into the columns the rows would give', () => {
    const { runId, policy: _, format, ...columns } = task('rows', true);
    expect(decodePageText(pageText(), 6, policy.attributes.length)).toEqual(columns);
    expect(decodePageText('', 0, policy.attributes.length)).toMatchObject({ clusterKeys: new Float64Array(0), sources: [] });
  });

  it('survives a page read as one text as it survives the same members in columns, on a thread too', async () => {
    const text = { runId: 'r1', policy, text: pageText(), members: 6 };
    expect(runSurvivePageTask({ ...text, format: 'rows' }).rows).toEqual(expected);
    const threaded = await pool.survivePage({ ...text, format: 'copy' });
    expect(new TextDecoder().decode(threaded.copy)).toBe(copyText(expected));
  });

  it('gives up on a page text a separator inside a value put out of shape, so that the page is read another way', () => {
    const withValue = (change: (m: PageMember) => void): string => {
      const members = pageMembers();
      change(members[3]!);
      return pageText(members);
    };
    const attributes = policy.attributes.length;
    expect(decodePageText(pageText(), 6, attributes)).not.toBeNull();
    expect(decodePageText(withValue((m) => (m.sourceId = `c${PACKED_SEPARATOR}3`)), 6, attributes)).toBeNull();
    expect(decodePageText(withValue((m) => (m.attrs = { ...m.attrs, email: `c${PACKED_SEPARATOR}@z.io` })), 6, attributes)).toBeNull();
    expect(decodePageText(withValue((m) => (m.attrs = { ...m.attrs, firstName: `c${MEMBER_SEPARATOR}y` })), 6, attributes)).toBeNull();
    expect(decodePageText(withValue((m) => (m.source = `${MEMBER_SEPARATOR}`)), 6, attributes)).toBeNull();
    // The count the query gave against the members the text holds.
    expect(decodePageText(pageText(), 5, attributes)).toBeNull();
    expect(decodePageText(pageText(), 7, attributes)).toBeNull();
    expect(decodePageText('x', 0, attributes)).toBeNull();
    expect(runSurvivePageTask({ runId: 'r1', policy, format: 'copy', members: 6, text: withValue((m) => (m.sourceId = `c${MEMBER_SEPARATOR}3`)) }))
      .toEqual({ clusters: 0, multiSource: 0, unreadable: true });
  });

  it('returns the same rows as COPY text, escaped, and the same on a worker thread', async () => {
    const copy = runSurvivePageTask(task('copy'));
    expect(copy.rows).toBeUndefined();
    const text = new TextDecoder().decode(copy.copy);
    expect(text).toBe(copyText(expected));
    expect(text.split('\n')).toHaveLength(4);
    // JSON writes the tab as \t, and COPY doubles the backslash.
    expect(text).toContain('c\\\\t@z.io');
    const threaded = await pool.survivePage(task('copy'));
    expect(threaded.copy).toBeInstanceOf(Uint8Array);
    expect({ ...threaded, copy: new TextDecoder().decode(threaded.copy) }).toEqual({ ...copy, copy: text });
  });
});
