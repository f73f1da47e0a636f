/**
 * What a decision announces: a message for the pipeline, written in the same transaction as the change it
 * announces (the transactional outbox). Decisions produce them; the store keeps them; the relay delivers them.
 */
export interface OutboxMessage {
  type: string;
  orderId: string;
  payload: Record<string, unknown>;
  /** what bounds this job's concurrency besides its merchant (a webhook endpoint's id); none when absent */
  laneKey?: string;
  /** not to run before this long after it is written (a label held for `fulfilment.holdMinutes`) */
  delayMs?: number;
}
