/** Text and numbers for the self-contained HTML reports (evaluation, reconciliation). */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value a report shows passes here: acquired and source data are untrusted. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => escapes[ch]!);
}

/** SVG coordinates, rounded so the document stays small and diffable. */
export const coord = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '0');
