/**
 * Mondial Relay's tracing codes (`STAT` of WSI2_TracingColisDetaille, one per shipment: its events carry only
 * text). Meanings from PrestaShop's Mondial Relay module (errorCode.php) and ecommerce-ventures/deliveries
 * (status_codes.rb). 81 covers everything between registration and delivery, the relay point included.
 */
import { codeTable } from './code-table.ts';

export const MONDIAL_RELAY_CODES = codeTable({
  '0': null, // Opération effectuée avec succès / Successful operation (no tracing state given)
  '80': 'label_created', // Code tracing : Colis enregistré / Tracking code: Recorded parcel (shipment created, dat…
  '81': 'in_transit', // Code tracing : Colis en traitement chez Mondial Relay / Tracking code: Parcel in proces…
  '82': 'delivered', // Code tracing : Colis livré / Tracking code: Delivered parcel
  '83': 'exception', // Code tracing : Anomalie / Tracking code: Anomaly
  '84': null, // (Reserved tracking code) / Réservé code tracing
  '85': null, // (Reserved tracking code) / Réservé code tracing
  '86': null, // (Reserved tracking code) / Réservé code tracing
  '87': null, // (Reserved tracking code) / Réservé code tracing
  '88': null, // (Reserved tracking code) / Réservé code tracing
  '89': null, // (Reserved tracking code) / Réservé code tracing
});
