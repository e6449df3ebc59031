const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Providers that ignore dots in the local part. */
const DOTLESS = new Set(['gmail.com', 'googlemail.com']);
/** Providers that deliver user+tag@ to user@. */
const PLUS_TAGS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'fastmail.com', 'protonmail.com', 'proton.me']);

export type EmailResult = { value: string } | { invalid: string };

/** An address as its mailbox: lower case; dots and +tags dropped where the provider ignores them. */
export function standardizeEmail(raw: string | null | undefined): EmailResult | null {
  if (raw === null || raw === undefined) return null;
  let email = raw.trim().toLowerCase().replace(/^mailto:/, '');
  if (email === '') return null;
  if (!EMAIL.test(email)) return { invalid: 'not an email address' };
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (PLUS_TAGS.has(domain)) local = local.replace(/\+.*$/, '');
  if (DOTLESS.has(domain)) local = local.replace(/\./g, '');
  if (local === '') return { invalid: 'empty mailbox' };
  email = `${local}@${domain}`;
  return { value: email };
}
