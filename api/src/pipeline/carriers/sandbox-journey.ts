/**
 * The sandbox carrier's simulated journeys: for each parcel a plan of scans (pickup, sorting, transit, depot,
 * out for delivery, delivery or pickup point), drawn once from its tracking number, with configurable rates of
 * delays, failed attempts and losses. Time runs `speed` times faster from the label on, so days pass in seconds
 * in demos; the events reach Promesse through the same polling and ingestion as a real carrier's.
 */
import { createHash } from 'node:crypto';
import type { Shipment } from '../../../../shared/src/orders.ts';
import type { CarrierEvent } from './carrier-adapter.ts';

export interface JourneySettings {
  /** how many simulated milliseconds pass per real one */
  speed: number;
  delayRate: number;
  failedAttemptRate: number;
  lossRate: number;
}

const HOUR = 3_600_000;

/** Deterministic draws in [0, 1) from a tracking number. */
function draws(trackingNumber: string): number[] {
  const hash = createHash('sha256').update(trackingNumber).digest();
  return Array.from({ length: 8 }, (_, i) => hash.readUInt32BE(i * 4) / 2 ** 32);
}

/** The whole planned journey, in simulated time. */
export function plannedJourney(
  trackingNumber: string,
  shipment: Shipment,
  labelledAt: string,
  settings: JourneySettings,
): CarrierEvent[] {
  const [delay = 0, fail = 0, loss = 0, minutes = 0] = draws(trackingNumber);
  const labelled = Date.parse(labelledAt);
  const pickup = Math.max(labelled + HOUR, Date.parse(`${shipment.dispatchDate}T16:00:00Z`));
  let day = Date.parse(`${shipment.promisedDelivery.earliest}T00:00:00Z`);
  if (delay < settings.delayRate) day += 24 * HOUR;
  const at = (ms: number) => new Date(Math.max(ms, pickup)).toISOString();
  const events: CarrierEvent[] = [
    { eventId: `${trackingNumber}-1`, code: 'PCK', occurredAt: at(pickup), location: 'Collection' },
    { eventId: `${trackingNumber}-2`, code: 'ACC', occurredAt: at(pickup + 4 * HOUR), location: 'Sorting centre' },
    { eventId: `${trackingNumber}-3`, code: 'TRN', occurredAt: at(pickup + 10 * HOUR), location: 'In transit' },
  ];
  if (loss < settings.lossRate) return events; // lost: the scans stop, and the exception scan notices
  const local = (hours: number) => at(day + hours * HOUR + Math.floor(minutes * 40) * 60_000);
  events.push({ eventId: `${trackingNumber}-4`, code: 'ARR', occurredAt: local(5), location: 'Delivery depot' });
  if (fail < settings.failedAttemptRate) {
    events.push({ eventId: `${trackingNumber}-5`, code: 'OFD', occurredAt: local(6.5) });
    events.push({
      eventId: `${trackingNumber}-6`,
      code: 'FAT',
      occurredAt: local(10),
      description: 'Recipient absent, notice left',
    });
    day += 24 * HOUR;
  }
  events.push({ eventId: `${trackingNumber}-7`, code: 'OFD', occurredAt: local(6.5) });
  events.push({ eventId: `${trackingNumber}-8`, code: 'DLV', occurredAt: local(11), description: 'Delivered' });
  return events;
}

/** The events that have happened by real instant `now`, with their times in the simulated clock. */
export function journeySoFar(
  trackingNumber: string,
  shipment: Shipment,
  labelledAt: string,
  now: number,
  settings: JourneySettings,
): CarrierEvent[] {
  const labelled = Date.parse(labelledAt);
  const simulatedNow = labelled + (now - labelled) * settings.speed;
  return plannedJourney(trackingNumber, shipment, labelledAt, settings).filter(
    (e) => Date.parse(e.occurredAt) <= simulatedNow,
  );
}
