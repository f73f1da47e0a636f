/** The exception queue the merchant's team works through. */
import type { ShipmentException } from '../../../../shared/src/pipeline.ts';

/** Something that needs someone: the merchant's team works through these (the schema is in shared/). */
export type { ShipmentException };

export interface ExceptionStore {
  /** Opens an exception unless one with the same id exists; true when it is new. */
  openException(merchantId: string, exception: ShipmentException): Promise<boolean>;
  listExceptions(merchantId: string, state: ShipmentException['state'], limit: number): Promise<ShipmentException[]>;
  updateException(
    merchantId: string,
    id: string,
    change: { state: ShipmentException['state']; note: string | null; updatedAt: string },
  ): Promise<ShipmentException | null>;
}
