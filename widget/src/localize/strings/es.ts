import type { Strings } from '../string-table.ts';

const strings: Strings = {
  deliveredOn: 'Entrega estimada {date}',
  deliveredBetween: 'Entrega estimada {range}',
  tomorrow: 'mañana, {date}',
  today: 'hoy, {date}',
  orderWithin: 'Pide en las próximas {time}',
  deliverTo: 'Entrega en {code}',
  deliverToCountry: 'Entrega en {country}',
  change: 'cambiar',
  country: 'País',
  postalCode: 'Código postal',
  apply: 'Aplicar',
  cancel: 'Cancelar',
  options: 'Opciones de entrega',
  fastest: 'Más rápida',
  cheapest: 'Más barata',
  home: 'A domicilio',
  pickup_point: 'Punto de recogida',
  locker: 'Taquilla',
  free: 'Gratis',
  showMore: { one: 'Ver {count} opción más', other: 'Ver {count} opciones más' },
  outOfStock: 'Agotado por el momento.',
  noService: 'Todavía no entregamos en esta dirección.',
  unknownSku: 'Este producto no se puede entregar.',
  partial: 'Algunos artículos no se pueden entregar: las fechas valen para los demás.',
  unavailable: 'Las fechas de entrega no están disponibles ahora.',
  loading: 'Calculando fechas de entrega…',
  fromDate: 'Se envía al reponerse el {date}',
};

export default strings;
