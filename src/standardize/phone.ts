import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneResult = { value: string } | { invalid: string };

/** A phone number in E.164 (+61412345678); numbers without a country code take the default region. */
export function standardizePhone(raw: string | null | undefined, defaultRegion: string): PhoneResult | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '' || !/\d/.test(text)) return null;
  const region = defaultRegion.toUpperCase() as CountryCode;
  // The region's own international prefix (011, 0011…) is libphonenumber's business; "00" is
  // written for "+" in many places whatever the region, so it is the fallback.
  let parsed = parsePhoneNumberFromString(text, region);
  if ((!parsed || !parsed.isValid()) && /^\s*00/.test(text)) {
    const international = parsePhoneNumberFromString(text.replace(/^\s*00/, '+'), region);
    if (international?.isPossible()) parsed = international;
  }
  if (!parsed || !parsed.isPossible()) return { invalid: 'not a possible phone number' };
  return { value: parsed.number };
}
