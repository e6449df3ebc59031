import { formatPhone, pad2, titleCase, typo, varyEmail } from '../generate/corrupt.js';
import type { Address, Person } from '../generate/person.js';
import type { Rand } from '../generate/rand.js';
import type { NicknameTable } from '../standardize/nicknames.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The three connected systems of the demo, each with its own columns, formats and mistakes. */
export interface DemoSystems {
  crm: { header: string[]; rows: string[][] };
  billing: Array<Record<string, string | null>>;
  shop: Array<Record<string, unknown>>;
  /** customer id behind each record, by system and record id: only for showing the truth afterwards. */
  truth: Map<string, string>;
}

function street(a: Address, rand: Rand, abbreviate: boolean): string {
  const type = abbreviate ? ({ Street: 'St', Avenue: 'Ave', Road: 'Rd', Drive: 'Dr', Lane: 'Ln', Court: 'Ct', Place: 'Pl', Boulevard: 'Blvd', Way: 'Way', Terrace: 'Ter' } as Record<string, string>)[a.type] : a.type;
  const unit = a.unit ? (rand.chance(0.5) ? ` Apt ${a.unit}` : ` #${a.unit}`) : '';
  return `${a.number} ${titleCase(a.street)} ${type}${unit}`;
}

function given(p: Person, rand: Rand, nicknames: NicknameTable, nicknameRate: number): string {
  const nicks = nicknames.nicknamesOf.get(p.firstName);
  let name = nicks && rand.chance(nicknameRate) ? rand.pick(nicks) : p.firstName;
  if (rand.chance(0.06)) name = typo(name, rand);
  return titleCase(name);
}

function family(p: Person, rand: Rand, married: boolean): string {
  const name = married && p.marriedName ? p.marriedName : p.lastName;
  return titleCase(rand.chance(0.05) ? typo(name, rand) : name);
}

function updatedAt(rand: Rand): string {
  return new Date(Date.UTC(2025, rand.int(12), rand.between(1, 28), rand.int(24), rand.int(60))).toISOString();
}

/**
 * Spreads customers over a CRM export (US dates, full street types), a billing database
 * (abbreviations, married names, E.164-ish phones, two utility meters) and a web shop API
 * (nested JSON, nicknames, spelled-out birthdays, sometimes an old address). The CRM file
 * also gets two broken rows, which the run must quarantine.
 */
export function buildDemoSystems(people: ReadonlyArray<Person>, rand: Rand, nicknames: NicknameTable): DemoSystems {
  const truth = new Map<string, string>();
  const crmRows: string[][] = [];
  const billing: DemoSystems['billing'] = [];
  const shop: DemoSystems['shop'] = [];
  people.forEach((p, i) => {
    let inCrm = rand.chance(0.75);
    const inBilling = rand.chance(0.6);
    const inShop = rand.chance(0.5);
    if (!inCrm && !inBilling && !inShop) inCrm = true;
    const dob = p.birth;
    if (inCrm) {
      const id = `CRM-${10000 + i}`;
      truth.set(`crm/${id}`, p.id);
      crmRows.push([
        id, given(p, rand, nicknames, 0.05), family(p, rand, false),
        rand.chance(0.1) ? '' : varyEmail(p.email, rand),
        rand.chance(0.1) ? '' : formatPhone(p.phone, rand),
        street(p.address, rand, false), p.address.city, p.address.state, p.address.zip,
        `${pad2(dob.month)}/${pad2(dob.day)}/${dob.year}`, updatedAt(rand),
      ]);
      // The same customer keyed twice in the CRM, a few times: a duplicate inside one system.
      if (rand.chance(0.04)) {
        const twin = `CRM-${50000 + i}`;
        truth.set(`crm/${twin}`, p.id);
        crmRows.push([twin, given(p, rand, nicknames, 0.5), family(p, rand, false), '', formatPhone(p.phone, rand),
          street(p.address, rand, true), p.address.city, p.address.state, p.address.zip, `${pad2(dob.month)}/${pad2(dob.day)}/${dob.year}`, updatedAt(rand)]);
      }
    }
    if (inBilling) {
      const id = `B${700000 + i}`;
      truth.set(`billing/${id}`, p.id);
      billing.push({
        account_no: id,
        given_name: given(p, rand, nicknames, 0.1),
        family_name: family(p, rand, true),
        phone_number: rand.chance(0.15) ? null : `+1${p.phone}`,
        email_address: rand.chance(0.2) ? null : p.email,
        address_line1: street(p.address, rand, true).toUpperCase(),
        town: p.address.city.toUpperCase(),
        postal_code: p.address.zip,
        birth_date: `${dob.year}-${pad2(dob.month)}-${pad2(dob.day)}`,
        last_modified: updatedAt(rand),
      });
    }
    if (inShop) {
      const id = `web_${(i * 7919 + 13).toString(36)}`;
      truth.set(`shop/${id}`, p.id);
      const swapped = rand.chance(0.05) && dob.day <= 12;
      const month = swapped ? dob.day : dob.month;
      const day = swapped ? dob.month : dob.day;
      const address = p.previousAddress && rand.chance(0.5) ? p.previousAddress : p.address;
      shop.push({
        id,
        name: { first: given(p, rand, nicknames, 0.3), last: family(p, rand, rand.chance(0.5)) },
        contact: { email: rand.chance(0.05) ? null : varyEmail(p.email, rand), phone: rand.chance(0.3) ? null : formatPhone(p.phone, rand) },
        shipping: { line1: street(address, rand, rand.chance(0.5)), city: address.city, postcode: address.zip },
        birthday: rand.chance(0.15) ? null : `${MONTHS[month - 1]} ${day}, ${dob.year}`,
        updated_at: updatedAt(rand),
      });
    }
  });
  billing.push(
    { account_no: 'M-4471', given_name: 'METER', family_name: 'Unit 4471', phone_number: null, email_address: null, address_line1: '1 INDUSTRIAL WAY', town: 'SPRINGFIELD', postal_code: '62701', birth_date: null, last_modified: '2025-03-01T00:00:00.000Z' },
    { account_no: 'M-4472', given_name: 'METER', family_name: 'Unit 4472', phone_number: null, email_address: null, address_line1: '1 INDUSTRIAL WAY', town: 'SPRINGFIELD', postal_code: '62701', birth_date: null, last_modified: '2025-03-01T00:00:00.000Z' },
  );
  const header = ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state', 'zip', 'date_of_birth', 'updated_at'];
  // Two broken exports: a row cut short, and a row whose id was never filled in.
  crmRows.splice(Math.min(5, crmRows.length), 0, ['CRM-BROKEN', 'Ann', 'Lee', 'ann.lee@example.com']);
  crmRows.splice(Math.min(9, crmRows.length), 0, ['', 'Tom', 'Baker', 'tom@example.com', '', '12 Main St', 'Reno', 'NV', '89501', '01/02/1970', '2025-01-01T00:00:00Z']);
  return { crm: { header, rows: crmRows }, billing, shop, truth };
}

/** CSV text with quotes where needed (the street may hold a comma in other datasets). */
export function toCsv(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
