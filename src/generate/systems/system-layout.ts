import { billing } from './billing.js';
import { crm } from './crm.js';
import { erp } from './erp.js';
import type { SystemFormat } from './system-format.js';
import { support } from './support.js';
import { webshop } from './webshop.js';

/** The kinds of system, in the order a company connects them. */
export const SYSTEM_FORMATS: ReadonlyArray<SystemFormat> = [crm, billing, webshop, support, erp];

export interface GeneratedSystem {
  /** The source's name in settings: crm, billing, ..., then crm_2, billing_2, ... */
  name: string;
  /** File name inside the output folder. */
  file: string;
  format: SystemFormat;
}

/** K systems cycling through the kinds: a second CRM (a region, an acquisition) is named crm_2. */
export function systemLayout(count: number): GeneratedSystem[] {
  return Array.from({ length: count }, (_, k) => {
    const format = SYSTEM_FORMATS[k % SYSTEM_FORMATS.length]!;
    const round = Math.floor(k / SYSTEM_FORMATS.length);
    const name = round === 0 ? format.kind : `${format.kind}_${round + 1}`;
    return { name, file: `${name}.${format.extension}`, format };
  });
}
