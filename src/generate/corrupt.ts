import type { Rand } from './rand.js';

/** What breaks matching in practice, one small function each. */
const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: 'sqz', b: 'vgn', c: 'xdv', d: 'sfe', e: 'wrd', f: 'dgr', g: 'fht', h: 'gjy', i: 'uok', j: 'hku', k: 'jli', l: 'kop',
  m: 'nj', n: 'bmh', o: 'ipl', p: 'ol', q: 'wa', r: 'etf', s: 'adw', t: 'ryg', u: 'yij', v: 'cbf', w: 'qes', x: 'zcs', y: 'tuh', z: 'xa',
};

/** One typing mistake: a swapped pair, a dropped, doubled or mistyped letter. */
export function typo(value: string, rand: Rand): string {
  if (value.length < 3) return value;
  const i = rand.between(1, value.length - 2);
  switch (rand.int(4)) {
    case 0:
      return value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2);
    case 1:
      return value.slice(0, i) + value.slice(i + 1);
    case 2:
      return value.slice(0, i) + value[i] + value.slice(i);
    default: {
      const near = KEYBOARD_NEIGHBOURS[value[i]!.toLowerCase()];
      return near ? value.slice(0, i) + rand.pick([...near]) + value.slice(i + 1) : value;
    }
  }
}

export function titleCase(value: string): string {
  return value.replace(/\b([a-z])/g, (c) => c.toUpperCase());
}

/** The same number written the ways different systems write it. */
export function formatPhone(digits: string, rand: Rand): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  return rand.pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `+1 ${a} ${b} ${c}`, `${a}.${b}.${c}`, `1${digits}`, digits]);
}

/** Variations a mailbox survives: case, gmail dots, plus-tags. */
export function varyEmail(email: string, rand: Rand): string {
  const [local, domain] = email.split('@') as [string, string];
  if (domain === 'gmail.com' && rand.chance(0.3)) return `${local.replace(/\./g, '')}@${domain}`;
  if (rand.chance(0.2)) return `${local}+shop@${domain}`;
  if (rand.chance(0.3)) return email.toUpperCase();
  return email;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
