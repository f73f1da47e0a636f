import { describe, expect, it } from 'vitest';
import { SHIPMENT_STATUSES } from '../../../shared/src/orders.ts';
import { advance, canTransition, hasLeft, statusFromShipments } from './order-status.ts';

describe('order statuses', () => {
  it('count a parcel as gone from the warehouse from its pickup on, never before a pickup or once cancelled', () => {
    expect(SHIPMENT_STATUSES.filter(hasLeft)).toEqual([
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'available_for_pickup',
      'delivered',
      'failed_attempt',
      'exception',
      'returned_to_sender',
    ]);
  });

  it('move forward and may jump, never back', () => {
    expect(canTransition('accepted', 'delivered')).toBe(true);
    expect(canTransition('shipped', 'in_preparation')).toBe(false);
    expect(canTransition('delivered', 'delivered')).toBe(false);
  });

  it('reach cancelled only before anything shipped, and leave neither cancelled nor closed', () => {
    expect(canTransition('in_preparation', 'cancelled')).toBe(true);
    expect(canTransition('partially_shipped', 'cancelled')).toBe(false);
    expect(canTransition('cancelled', 'accepted')).toBe(false);
    expect(canTransition('closed', 'delivered')).toBe(false);
  });

  it('follow the shipments: in preparation, partially shipped, shipped, delivered', () => {
    expect(statusFromShipments(['pending', 'label_created'])).toBe('in_preparation');
    expect(statusFromShipments(['in_transit', 'label_created'])).toBe('partially_shipped');
    expect(statusFromShipments(['in_transit', 'cancelled'])).toBe('shipped');
    expect(statusFromShipments(['delivered', 'delivered'])).toBe('delivered');
  });

  it('close once every parcel has settled and one came back to the sender', () => {
    expect(statusFromShipments(['delivered', 'returned_to_sender'])).toBe('closed');
    expect(statusFromShipments(['returned_to_sender'])).toBe('closed');
  });

  it('keep the current status when the shipments would take it back', () => {
    expect(advance('shipped', ['label_created'])).toBe('shipped');
    expect(advance('accepted', ['picked_up'])).toBe('shipped');
  });
});
