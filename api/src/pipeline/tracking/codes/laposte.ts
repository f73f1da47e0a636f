/**
 * La Poste / Colissimo event codes of the Suivi v2 tracking API (`shipment.event[].code`, developer.laposte.fr).
 * The official page lists the codes; its wording reached us through public clients that copy it
 * (rigwild/suivi-poste index.ts, 19 codes; kyfr59/resifacile OkapiStatus.php, 23). DI2 is a parcel delivered back
 * to its sender; DI3 (delayed) and ID0 (customs information) change nothing.
 */
import { codeTable } from './code-table.ts';

export const LAPOSTE_CODES = codeTable({
  DR1: 'label_created', // Déclaratif réceptionné / Shipment data (pre-advice) received; parcel not yet handed over
  DR2: 'exception', // Problème lors de la préparation / Problem while the sender prepares the shipment
  PC1: 'picked_up', // Pris en charge / Taken in charge (accepted / dropped off) by La Poste
  PC2: 'picked_up', // Pris en charge dans le pays d’expédition / Taken in charge in the country of dispatch
  ET1: 'in_transit', // En cours de traitement / Being processed / in transit in the network
  ET2: 'in_transit', // En cours de traitement dans le pays d’expédition / Being processed in the country of di…
  ET3: 'in_transit', // En cours de traitement dans le pays de destination / Being processed in the destination…
  ET4: 'in_transit', // En cours de traitement dans un pays de transit / Being processed in a transit country
  EP1: 'in_transit', // En attente de présentation / Awaiting presentation (delivery) to the recipient
  DO1: 'in_transit', // Entrée en Douane / Entered customs
  DO2: 'in_transit', // Sortie de Douane / Left customs / cleared
  DO3: 'exception', // Retenu en Douane / Held in customs
  PB1: 'exception', // Problème en cours / Problem in progress
  PB2: 'in_transit', // Problème résolu / Problem resolved
  MD2: 'out_for_delivery', // Mis en distribution / Out for delivery
  ND1: 'failed_attempt', // Non distribuable / Could not be delivered
  AG1: 'available_for_pickup', // En attente d’être retiré au guichet / Awaiting collection at the counter / pickup point
  RE1: 'returned_to_sender', // Retourné à l’expéditeur / Being returned to sender
  DI0: 'delivered', // Distribué en lot / Delivered as part of a batch
  DI1: 'delivered', // Distribué / Delivered
  DI2: 'returned_to_sender', // Distribué à l’expéditeur / Delivered back to the sender
  DI3: null, // Retardé / Delayed
  ID0: null, // Informations douane / Customs information
});
