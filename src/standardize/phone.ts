import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneResult = { value: string } | { invalid: string };

/** A phone number in E.164 (+61412345678); numbers without a country code take the default region. */
export function standardizePhone(raw: string | null | undefined, defaultRegion: string): PhoneResult | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '' || !/\d/.test(text)) return null;
  const parsed = parsePhoneNumberFromString(text.replace(/^00/, '+'), defaultRegion.toUpperCase() as CountryCode);
  if (!parsed || !parsed.isPossible()) return { invalid: 'not a possible phone number' };
  return { value: parsed.number };
}
