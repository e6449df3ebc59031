import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type PhoneResult = { value: string } | { invalid: string };

/** A phone number in E.164 (+61412345678); numbers without a country code take the default region. */
export function standardizePhone(raw: string | null | undefined, defaultRegion: string): PhoneResult | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '' || !/\d/.test(text)) return null;
  const region = defaultRegion.toUpperCase() as CountryCode;
  const fast = northAmerican(text, region);
  if (fast !== null) return { value: fast };
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

/**
 * The common North American case without libphonenumber, which costs tens of microseconds a
 * number (a million-record pull spends seconds on it): only digits and the usual punctuation,
 * ten digits, or eleven with the trunk 1. Anything else goes to libphonenumber, which gives the
 * same answer for these.
 */
function northAmerican(text: string, region: string): string | null {
  if (region !== 'US' && region !== 'CA') return null;
  let digits = '';
  let start = 0;
  // "+1 415 …" is a North American number written internationally; any other "+" is not.
  if (text.charCodeAt(0) === 43) {
    if (text.charCodeAt(1) !== 49) return null;
    start = 1;
  }
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
    else if (c !== 32 && c !== 40 && c !== 41 && c !== 45 && c !== 46) return null; // space ( ) - .
  }
  if (digits.length === 11 && digits[0] === '1') digits = digits.slice(1);
  else if (start === 1) return null;
  return digits.length === 10 ? `+1${digits}` : null;
}
