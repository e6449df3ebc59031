import { standardizeEmail } from '../standardize/email.js';
import { FingerprintSet } from './fingerprint-set.js';
import type { Population } from './population.js';
import type { Rand } from './rand.js';

/**
 * The mailboxes and phone numbers already held by someone. Two different people sharing
 * one would look like the same customer to the matcher, so people added beside a
 * population (an acquired company's own customers, a customer's new number) draw values
 * that nobody holds yet.
 */
export class TakenContacts {
  private readonly emails: FingerprintSet;
  private readonly phones: FingerprintSet;

  /** Everyone of the population, with room for `more` people after them. */
  constructor(population: Population, more: number) {
    this.emails = new FingerprintSet(population.size + more * 2);
    this.phones = new FingerprintSet(population.size + more * 2);
    for (let i = 0; i < population.size; i++) {
      const c = population.customer(i);
      if (c.email !== null) this.emails.add(mailbox(c.email));
      this.phones.add(c.phone);
    }
  }

  /** The email, or the same with a number appended (as mail providers suggest) when its mailbox is held. */
  claimEmail(email: string, rand: Rand): string {
    const at = email.lastIndexOf('@');
    let candidate = email;
    for (let attempt = 0; !this.emails.add(mailbox(candidate)); attempt++) {
      const digits = attempt < 3 ? 2 : attempt < 6 ? 3 : 4;
      candidate = `${email.slice(0, at)}${rand.between(10 ** (digits - 1), 10 ** digits - 1)}${email.slice(at)}`;
    }
    return candidate;
  }

  /** The phone, or another line in the same area code when it is held. */
  claimPhone(phone: string, rand: Rand): string {
    let candidate = phone;
    while (!this.phones.add(candidate)) candidate = `${phone.slice(0, 3)}${rand.between(201, 989)}${String(rand.int(10000)).padStart(4, '0')}`;
    return candidate;
  }
}

function mailbox(email: string): string {
  const r = standardizeEmail(email);
  return r !== null && 'value' in r ? r.value : email.toLowerCase();
}
