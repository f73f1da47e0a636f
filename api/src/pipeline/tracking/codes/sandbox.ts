/** The sandbox carrier's event codes (modelled on postal carriers' scan codes). */
import { codeTable } from './code-table.ts';

export const SANDBOX_CODES = codeTable({
  LBL: 'label_created',
  PCK: 'picked_up',
  ACC: 'in_transit', // accepted at a sorting centre
  TRN: 'in_transit',
  ARR: 'in_transit', // arrived at the delivery depot
  OFD: 'out_for_delivery',
  PUP: 'available_for_pickup',
  DLV: 'delivered',
  FAT: 'failed_attempt',
  EXC: 'exception',
  RTS: 'returned_to_sender',
  CAN: 'cancelled',
});
