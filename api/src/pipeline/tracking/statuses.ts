/**
 * Normalized tracking statuses (CONTRACT §4), and the tables from carriers' own event codes onto them (§7): one
 * table per code family, each in its own file under `codes/` with the sources it was written from. A table maps
 * a code to a status, or to `null` when the carrier's code has no counterpart among ours (a notice, a customs
 * step): such an event, and any code a table does not know, goes on the timeline and changes nothing. Nothing is
 * guessed.
 */
import type { EVENT_CODE_TABLES } from '../../../../shared/src/config.ts';
import type { CarrierEvent } from '../carriers/carrier-adapter.ts';
import type { TrackingEvent } from './apply-event.ts';
import { type CodeTable, TRACKING_STATUSES, type TrackingStatus } from './codes/code-table.ts';
import { DHL_CODES } from './codes/dhl.ts';
import { DPD_CODES } from './codes/dpd.ts';
import { GLS_CODES } from './codes/gls.ts';
import { KARRIO_STATUSES } from './codes/karrio.ts';
import { LAPOSTE_CODES } from './codes/laposte.ts';
import { MONDIAL_RELAY_CODES } from './codes/mondial-relay.ts';
import { SANDBOX_CODES } from './codes/sandbox.ts';
import { UPS_CODES } from './codes/ups.ts';

export { TRACKING_STATUSES, type TrackingStatus };

export type CodeTableName = (typeof EVENT_CODE_TABLES)[number];

export const CODE_TABLES: Readonly<Record<CodeTableName, CodeTable>> = {
  sandbox: SANDBOX_CODES,
  karrio: KARRIO_STATUSES,
  laposte: LAPOSTE_CODES,
  dhl: DHL_CODES,
  dpd: DPD_CODES,
  gls: GLS_CODES,
  ups: UPS_CODES,
  mondial_relay: MONDIAL_RELAY_CODES,
};

/** What a carrier's code says: a status, `null` for a known code with no counterpart, `undefined` if unknown. */
export function readCode(table: CodeTableName, code: string): TrackingStatus | null | undefined {
  const codes = CODE_TABLES[table];
  if (code in codes) return codes[code];
  // UPS codes are `type/code`: a delivery code reads the same under any type, and a code the table does not
  // refine reads as its type (codes/ups.ts).
  const slash = code.indexOf('/');
  if (table !== 'ups' || slash <= 0) return undefined;
  const anyType = `any/${code.slice(slash + 1)}`;
  if (anyType in codes) return codes[anyType];
  const type = code.slice(0, slash);
  return type in codes ? codes[type] : undefined;
}

/** Statuses that need someone to look at the shipment. */
export const EXCEPTIONAL: ReadonlySet<TrackingStatus> = new Set(['failed_attempt', 'exception', 'returned_to_sender']);

/** A carrier's event as our tracking event: its code read with the carrier's table (unknown codes marked). */
export function readEvent(
  carrier: { id: string; eventCodes: CodeTableName },
  trackingNumber: string,
  event: CarrierEvent,
): TrackingEvent {
  const status = event.notice ? null : readCode(carrier.eventCodes, event.code);
  return {
    trackingNumber,
    carrier: carrier.id,
    code: event.code,
    occurredAt: event.occurredAt,
    location: event.location,
    description: event.description,
    eventId: event.eventId,
    status: status ?? null,
    unknownCode: status === undefined,
  };
}
