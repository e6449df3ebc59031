import { Rand } from './rand.js';

const ONSETS = [
  'b', 'br', 'bl', 'c', 'ch', 'cl', 'cr', 'd', 'dr', 'f', 'fr', 'fl', 'g', 'gr', 'gl', 'h', 'j', 'k', 'kr', 'l', 'm', 'n',
  'p', 'pr', 'pl', 'r', 's', 'sh', 'st', 'sl', 'sp', 't', 'tr', 'th', 'v', 'w', 'wh', 'z', '',
];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ee', 'oo', 'ou', 'au', 'ie'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 't', 'm', 'nd', 'rd', 'rt', 'ck', 'll', 'ss', 'nt', 'rk', 'ng', 'ld', 'st'];
const SURNAME_ENDINGS = [
  'son', 'sen', 'man', 'mann', 'ley', 'ton', 'ford', 'field', 'wood', 'berg', 'stein', 'ski', 'sky', 'er', 'ell', 'ett',
  'ing', 'ham', 'well', 'worth', 'by', 'dale', 'ridge', 'land', 'stone', 'brook', 'hart', 'ard', 'ez', 'o', 'ini',
  'elli', 'ovic', 'enko', 'ian', 'ides', 'opoulos', 'ak', 'ek', 'ik', 'strom', 'quist', 'gaard', 'ner', 'ler', 'hoff',
  'mayer', 'baum', 'feld', 'sson', 'etti', 'ova', 'escu', 'oglu', 'awa', 'moto', 'uchi', 'ada', 'ez', 'ero', 'ales',
];

/** Words the generated settings use to recognise non-customers: no real person may be called that. */
const RESERVED = /^(test|meter|lamp|streetlight|dummy|sample)/;

const MIDDLE_CONSONANTS = ['b', 'd', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];

/**
 * Pronounceable surnames that no list holds ("brandley", "kostrowski"): the long tail of a
 * population of millions. Always the same list for the same count.
 */
export function syntheticSurnames(count: number, taken: ReadonlySet<string>): string[] {
  const rand = new Rand(0x5eed_f00d);
  const seen = new Set(taken);
  const out: string[] = [];
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    let name = rand.pick(ONSETS) + rand.pick(NUCLEI) + rand.pick(CODAS);
    if (rand.chance(0.45)) name += rand.pick(MIDDLE_CONSONANTS) + rand.pick(VOWELS) + (rand.chance(0.4) ? rand.pick(CODAS) : '');
    if (rand.chance(0.75)) name += rand.pick(SURNAME_ENDINGS);
    if (name.length < 4 || name.length > 12 || /[^aeiouy]{4}/.test(name) || /(.)\1\1/.test(name) || /[aeiouy]{3}/.test(name) || RESERVED.test(name)) continue;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name);
  }
  return out;
}

const TOWN_STARTS = [
  'oak', 'maple', 'cedar', 'river', 'spring', 'fair', 'green', 'lake', 'mill', 'glen', 'brook', 'red', 'pine', 'stone',
  'west', 'north', 'east', 'south', 'ash', 'elm', 'clear', 'silver', 'rock', 'bridge', 'bell', 'mount', 'hazel', 'willow',
  'sugar', 'iron', 'copper', 'gold', 'white', 'black', 'blue', 'long', 'high', 'deer', 'fox', 'bear', 'eagle', 'hawk',
  'sand', 'salt', 'clay', 'rose', 'lily', 'marsh', 'wolf', 'crow', 'birch', 'walnut', 'cherry', 'laurel', 'holly',
  'chester', 'win', 'kings', 'queens', 'port', 'new', 'old', 'summer', 'winter', 'plain', 'hill', 'dover', 'ever',
];
const TOWN_ENDS = [
  'field', 'ville', 'ton', 'wood', 'dale', 'ford', 'burg', 'view', 'port', 'brook', 'haven', 'ridge', 'side', 'land',
  ' springs', ' falls', ' heights', ' city', ' creek', ' grove', ' junction', 'mont', 'bury', 'worth', 'stead', 'shire',
  ' valley', ' point', ' harbor', ' park', 'crest', 'more', 'wick', 'ham',
];

/** Small-town names ("Oakfield", "Silver Falls"), distinct and in a fixed order. */
export function syntheticTowns(count: number, taken: ReadonlySet<string>): string[] {
  const rand = new Rand(0x70_3e5);
  const seen = new Set([...taken].map((t) => t.toLowerCase()));
  const out: string[] = [];
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    const name = rand.pick(TOWN_STARTS) + rand.pick(TOWN_ENDS);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(name.replace(/\b([a-z])/g, (c) => c.toUpperCase()));
  }
  return out;
}
