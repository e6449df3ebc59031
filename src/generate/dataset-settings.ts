import { Document, isMap, isScalar, visit } from 'yaml';
import type { SettingsInput } from '../config/settings-schema.js';
import { NON_CUSTOMER_RULES } from './non-customers.js';
import type { GeneratedSystem } from './systems/system-layout.js';
import { TRUTH_COLUMN } from './systems/system-format.js';

/**
 * Working settings for a generated dataset. Blocking is meant for a million customers:
 * every rule is selective enough that no block grows large (exact email, exact phone,
 * surname sound with the full birth date, both names' sounds within a zip code...), and
 * together they catch nearly every true pair.
 */
export function datasetSettings(systems: ReadonlyArray<GeneratedSystem>): SettingsInput {
  return {
    name: 'generated',
    linkType: 'link_and_dedupe',
    defaults: { phoneRegion: 'US', dateOrder: 'MDY' },
    sources: systems.map((s) => s.format.source(s.name, s.file)),
    exclude: NON_CUSTOMER_RULES,
    blocking: {
      rules: [
        ['email'],
        ['phone'],
        ['lastName:metaphone', 'birthDate'],
        ['firstName:metaphone', 'birthDate'],
        ['firstName:metaphone', 'lastName:metaphone', 'postcode'],
        ['birthDate:dayMonthAnyOrder', 'postcode'],
        ['firstName:metaphone', 'lastName:metaphone', 'birthDate:year'],
      ],
    },
    comparisons: [
      { attribute: 'firstName', levels: ['nickname', { reversed: 'lastName' }, { jaroWinkler: 0.92 }, 'metaphone', { jaroWinkler: 0.8 }], termFrequency: true },
      { attribute: 'lastName', levels: [{ reversed: 'firstName' }, { jaroWinkler: 0.92 }, 'metaphone', { jaroWinkler: 0.8 }], termFrequency: true },
      { attribute: 'birthDate', levels: [{ damerauLevenshtein: 1 }, 'dayMonthSwapped', { withinDays: 366 }] },
      { attribute: 'email', levels: [{ levenshtein: 2 }] },
      { attribute: 'phone', method: 'exact' },
      { attribute: 'street', method: 'jaroWinkler', thresholds: [0.9, 0.8] },
      { attribute: 'city', levels: [{ jaroWinkler: 0.9 }], termFrequency: true },
      { attribute: 'postcode', method: 'levenshtein', thresholds: [1] },
    ],
    thresholds: { match: 0.99, review: 0.5 },
    survivorship: {
      default: { rule: 'mostFrequent' },
      attributes: { email: { rule: 'mostRecent' }, phone: { rule: 'mostRecent' }, street: { rule: 'mostRecent' }, city: { rule: 'mostRecent' }, postcode: { rule: 'mostRecent' } },
    },
    run: { shards: 32 },
  };
}

/** The settings as YAML, with a note on the truth column (which the settings never map). */
export function settingsYaml(settings: SettingsInput, command: string): string {
  return [
    `# Written by: ${command}`,
    `# Every record carries the true customer in "${TRUTH_COLUMN}" (non-customers: X...). It is for scoring only:`,
    `#   goldrun evaluate --config settings.yaml --truth-column ${TRUTH_COLUMN}`,
    compactYaml(settings),
  ].join('\n');
}

/** YAML with short lists on one line, as people write them: `[email]`, `[nickname, {jaroWinkler: 0.92}]`. */
function compactYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, node) {
      const simple = node.items.every((item) => isScalar(item) || (isMap(item) && item.items.length === 1 && isScalar(item.items[0]!.value)));
      if (simple) node.flow = true;
    },
    Map(_, node) {
      if (node.items.length === 1 && isScalar(node.items[0]!.value)) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
