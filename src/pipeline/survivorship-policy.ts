import { attributeTypes } from '../config/load-settings.js';
import type { Settings } from '../config/settings-schema.js';
import type { SurvivorshipPolicy } from '../survive/survive-cluster.js';

/** The deployment's survivorship rules, over the attributes its sources map. */
export function survivorshipPolicy(settings: Settings): SurvivorshipPolicy {
  const mapped = new Set(settings.sources.flatMap((s) => Object.keys(s.fields)));
  return {
    attributes: Object.keys(attributeTypes(settings)).filter((a) => mapped.has(a)),
    defaultRule: settings.survivorship.default,
    rules: settings.survivorship.attributes,
    trust: Object.fromEntries(settings.sources.map((s) => [s.name, s.trust])),
    attributeTrust: Object.fromEntries(settings.sources.map((s) => [s.name, s.attributeTrust])),
  };
}
