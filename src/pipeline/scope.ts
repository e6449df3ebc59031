import { createHash } from 'node:crypto';
import type { Settings } from '../config/settings-schema.js';

/** The sources a run matches over: the ones its settings name. */
export function sourceNames(settings: Settings): string[] {
  return settings.sources.map((s) => s.name);
}

/** Blocking keys depend only on the blocking rules (and the record's attributes). */
export function blockingFingerprint(settings: Settings): string {
  return createHash('sha1').update(JSON.stringify(settings.blocking.rules)).digest('hex').slice(0, 12);
}
