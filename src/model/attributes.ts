/**
 * The canonical customer: the attributes every source maps onto. A deployment may add
 * its own attributes in settings (`attributes:`), each with one of these types, which
 * decide how values are standardized.
 */
export const ATTRIBUTE_TYPES = [
  'name', // a person's given or family name
  'fullName', // "Dr. Robert J. Smith Jr." in one field
  'orgName', // a company name, legal-form suffixes removed
  'email',
  'phone',
  'date',
  'postcode',
  'address', // a street line
  'text', // free text: case and whitespace only
  'code', // identifiers and codes: trimmed, upper-cased, inner spaces removed
] as const;

export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const DEFAULT_ATTRIBUTES: Record<string, AttributeType> = {
  firstName: 'name',
  middleName: 'name',
  lastName: 'name',
  fullName: 'fullName',
  organization: 'orgName',
  birthDate: 'date',
  email: 'email',
  phone: 'phone',
  streetNumber: 'code',
  street: 'address',
  addressLine2: 'address',
  city: 'text',
  state: 'code',
  postcode: 'postcode',
  country: 'code',
  nationalId: 'code',
  gender: 'code',
};

/** Standardized attribute values of one record; null when missing or unusable. */
export type Attributes = Record<string, string | null>;
