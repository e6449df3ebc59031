import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/config/load-settings.js';
import type { Database } from '../../src/db/client.js';
import { populationCounts } from '../../src/pipeline/match-plan-cache.js';
import { openMigratedDatabase } from '../helpers/database.js';
import { createTestDatabase, requireServices, type TestDatabase } from '../helpers/services.js';

interface Stored {
  deployment: string;
  source: string;
  attrs: Record<string, string | null>;
  recordClass: string;
  deleted: boolean;
}

/**
 * An incremental run's term frequencies are counted over every live customer record of the
 * deployment's sources, as a full run's are: checked here against the same count made in
 * script over records of every kind a deployment stores.
 */
describe('populationCounts', () => {
  let db: TestDatabase;
  let database: Database;
  const settings = validateSettings({
    name: 'towns',
    sources: [
      { name: 'crm', kind: 'csv', path: 'crm.csv', id: 'id', fields: { firstName: 'first', lastName: 'last', city: 'city' } },
      { name: 'shop', kind: 'csv', path: 'shop.csv', id: 'id', fields: { firstName: 'first', lastName: 'last', city: 'city' } },
    ],
    blocking: { rules: [['lastName']] },
    comparisons: [
      { attribute: 'firstName', method: 'jaroWinkler', termFrequency: true },
      { attribute: 'lastName', method: 'jaroWinkler', termFrequency: true },
      { attribute: 'city', method: 'exact' },
    ],
  });
  const stored: Stored[] = [];

  beforeAll(async () => {
    await requireServices();
    db = await createTestDatabase();
    database = await openMigratedDatabase(db.url, 2);
    const firsts = ['ann', 'bob', 'cy', 'dee', '', null];
    const lasts = ['smith', 'jones', 'li', "o'neil", 'smith-jones'];
    for (let i = 0; i < 600; i++) {
      const attrs: Record<string, string | null> = { firstName: firsts[i % 6]!, lastName: lasts[(i * 7) % 5]!, city: `town ${i % 3}` };
      if (i % 11 === 0) delete attrs.lastName;
      stored.push({
        deployment: i % 17 === 0 ? 'elsewhere' : 'towns',
        source: ['crm', 'shop', 'legacy'][i % 3 === 2 && i % 4 === 0 ? 2 : i % 2]!,
        attrs,
        recordClass: i % 13 === 0 ? 'excluded' : i % 19 === 0 ? 'quarantined' : 'customer',
        deleted: i % 23 === 0,
      });
    }
    const { sql } = database;
    await sql`
      insert into source_records (deployment, source, source_id, raw, content_hash, attrs, record_class, deleted_at, first_run_id, last_run_id)
      select s.deployment, s.source, 'r' || s.n, '{}'::jsonb, 'h' || s.n, s.attrs::jsonb, s.class, case when s.deleted then now() end, 'run', 'run'
      from json_to_recordset(${JSON.stringify(stored.map((s, n) => ({ n, deployment: s.deployment, source: s.source, attrs: JSON.stringify(s.attrs), class: s.recordClass, deleted: s.deleted })))}::json)
        as s(n int, deployment text, source text, attrs text, class text, deleted boolean)`;
  });
  afterAll(async () => {
    await database?.close();
    await db?.drop();
  });

  it('counts each loaded value over the live customer records, and every record holding a value', async () => {
    const loaded: Record<string, string[]> = { firstName: ['bob', 'dee', 'zed', ''], lastName: ['smith', "o'neil"] };
    const counts = await populationCounts(database.sql, settings, (attribute) => loaded[attribute] ?? []);

    const live = stored.filter((s) => s.deployment === 'towns' && s.source !== 'legacy' && s.recordClass === 'customer' && !s.deleted);
    const expected = new Map(Object.entries(loaded).map(([attribute, values]) => {
      const held = live.map((s) => s.attrs[attribute]).filter((v): v is string => typeof v === 'string' && v !== '');
      const perValue = new Map<string, number>();
      for (const v of values) {
        const n = held.filter((h) => h === v).length;
        if (n > 0) perValue.set(v, n);
      }
      return [attribute, { values: perValue, total: held.length }];
    }));
    expect(counts).toEqual(expected);
    // The fixture holds what the rules leave out, so the figures above are not every record's.
    expect(expected.get('firstName')!.total).toBeLessThan(stored.length / 2);
    expect(expected.get('lastName')!.values.get('smith')).toBeGreaterThan(0);
  });

  it('counts nothing when no comparison weighs term frequencies', async () => {
    const plain = { ...settings, comparisons: settings.comparisons.map((c) => ({ ...c, termFrequency: false })) };
    expect(await populationCounts(database.sql, plain, () => ['ann'])).toEqual(new Map());
  });
});
