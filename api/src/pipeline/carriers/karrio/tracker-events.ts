/**
 * A Karrio tracker (`TrackingStatus` / `TrackerDetails` in Karrio's OpenAPI document) as carrier events.
 *
 * Karrio's events carry the carrier's scan (date, time, code, description, location) but no status of their
 * own: the tracker's `status` is what its newest scan means. So every scan becomes a notice on the timeline
 * (keyed by its content, so that it is kept once however often the tracker is read), and the tracker's status
 * becomes one more event at the newest scan's time, keyed by status and scan, read with Karrio's status table
 * (codes/karrio.ts). A tracker read twice, or its webhooks replayed or out of order, adds nothing new; a status
 * older than the shipment's last news enters the timeline without moving it back (apply-event.ts).
 *
 * Karrio gives a scan's local date and time without a zone; they are read in the shipping warehouse's zone.
 */
import { createHash } from 'node:crypto';
import { fromZonedTime } from 'date-fns-tz';
import type { CarrierEvent } from '../carrier-adapter.ts';

/** The parts of a Karrio tracker the adapter reads. */
export interface KarrioTracker {
  tracking_number?: string;
  status?: string;
  events?: KarrioScan[] | null;
}

export interface KarrioScan {
  date?: string;
  time?: string | null;
  code?: string | null;
  description?: string;
  location?: string;
}

/** A scan's instant: `YYYY-MM-DD` and `HH:MM[:SS] [AM|PM]` local to `timeZone`; null when unreadable. */
export function scanInstant(scan: KarrioScan, timeZone: string): string | null {
  if (!scan.date || !/^\d{4}-\d{2}-\d{2}$/.test(scan.date)) return null;
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(scan.time?.trim() ?? '');
  let hours = clock ? Number(clock[1]) : 0;
  const minutes = clock ? Number(clock[2]) : 0;
  const seconds = clock?.[3] ? Number(clock[3]) : 0;
  const half = clock?.[4]?.toUpperCase();
  if (half === 'PM' && hours < 12) hours += 12;
  if (half === 'AM' && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const instant = fromZonedTime(`${scan.date}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}`, timeZone);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

const keyOf = (scan: KarrioScan) =>
  `karrio:${createHash('sha256')
    .update(JSON.stringify([scan.date, scan.time ?? '', scan.code ?? '', scan.description ?? '', scan.location ?? '']))
    .digest('base64url')
    .slice(0, 22)}`;

export function trackerEvents(tracker: KarrioTracker, timeZone: string): CarrierEvent[] {
  const scans = (tracker.events ?? [])
    .flatMap((scan) => {
      const occurredAt = scanInstant(scan, timeZone);
      return occurredAt ? [{ scan, occurredAt, key: keyOf(scan) }] : [];
    })
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  const events: CarrierEvent[] = scans.map(({ scan, occurredAt, key }) => ({
    eventId: key,
    code: scan.code || 'scan',
    notice: true,
    occurredAt,
    location: scan.location || undefined,
    description: scan.description || undefined,
  }));
  const newest = scans.at(-1);
  // A status without a scan to date it says nothing we can place in time: it waits for its first scan.
  if (newest && tracker.status) {
    events.push({
      eventId: `${newest.key}:${tracker.status}`,
      code: tracker.status,
      occurredAt: newest.occurredAt,
      location: newest.scan.location || undefined,
    });
  }
  return events;
}
