/** One row read from a source: its values, or why it could not be read. */
export type PulledRow =
  | { kind: 'row'; rowNumber: number; values: Record<string, unknown> }
  | { kind: 'error'; rowNumber: number; field: string; reason: string; raw?: unknown };

export interface PullOptions {
  /** Highest updated-at value already pulled; null pulls everything. */
  watermark: string | null;
  signal?: AbortSignal;
}

/**
 * A connected system. Connectors stream rows and never hold a whole source in memory;
 * rows that cannot be read are yielded as errors so the pull can quarantine them and go on.
 */
export interface Connector {
  /** Where the rows come from, for messages ("file crm.csv", "GET https://shop/api"). */
  readonly location: string;
  rows(options: PullOptions): AsyncIterable<PulledRow>;
  /** How far the current pull has got (0..1), when the connector can tell (files can, APIs cannot). */
  progress?(): number | null;
}
