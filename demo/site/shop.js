// Maison Démo: the demo storefront. Plain ES modules, no build: it embeds <delivery-promise> the way a
// merchant would, with one script tag, and keeps its cart in localStorage.

export const CATALOGUE = [
  {
    sku: 'MUG-01',
    name: 'Mug en grès',
    price: 1290,
    art: '☕',
    tone: '#e9d8c4',
    blurb: 'Grès émaillé à la main, 35 cl.',
  },
  {
    sku: 'TEE-02',
    name: 'T-shirt coton bio',
    price: 2490,
    art: '👕',
    tone: '#d5e3ef',
    blurb: 'Coton biologique, coupe droite.',
  },
  {
    sku: 'GIFT-01',
    name: 'Coffret cadeau',
    price: 4490,
    art: '🎁',
    tone: '#f1d6d6',
    blurb: 'Deux mugs et un t-shirt, prêts à offrir.',
  },
  {
    sku: 'CANDLE-03',
    name: 'Bougie parfumée',
    price: 1890,
    art: '🕯️',
    tone: '#f3e7c9',
    blurb: 'Cire végétale, figuier et cèdre.',
  },
  {
    sku: 'LAMP-04',
    name: 'Lampe à poser',
    price: 8900,
    art: '💡',
    tone: '#efe6c8',
    blurb: 'De retour en stock début décembre.',
  },
  {
    sku: 'POSTER-05',
    name: 'Affiche encadrée',
    price: 5900,
    art: '🖼️',
    tone: '#dfe6d8',
    blurb: 'Cadre chêne, 70 × 90 cm.',
  },
  {
    sku: 'RUG-06',
    name: 'Tapis berbère',
    price: 34900,
    art: '🧶',
    tone: '#ecdcd0',
    blurb: '160 × 230 cm, expédié de Lyon.',
  },
  {
    sku: 'PERFUME-07',
    name: 'Eau de parfum',
    price: 6500,
    art: '🌸',
    tone: '#f2dde8',
    blurb: 'Matière dangereuse : transporteurs agréés.',
  },
  {
    sku: 'TEAPOT-10',
    name: 'Théière en fonte',
    price: 5400,
    art: '🫖',
    tone: '#d9dcdf',
    blurb: 'Arrivage attendu le 9 décembre.',
  },
  {
    sku: 'SCARF-14',
    name: 'Écharpe en laine',
    price: 3900,
    art: '🧣',
    tone: '#e6d7ee',
    blurb: 'Expédiée de notre entrepôt de Leipzig.',
  },
  {
    sku: 'CHAIR-17',
    name: 'Chaise en chêne',
    price: 18900,
    art: '🪑',
    tone: '#eadfce',
    blurb: '18 kg : transporteurs lourds seulement.',
  },
  {
    sku: 'VASE-19',
    name: 'Vase soufflé bouche',
    price: 4200,
    art: '🏺',
    tone: '#d6ebe6',
    blurb: 'Pièce unique, verre recyclé.',
  },
];

export const bySku = (sku) => CATALOGUE.find((p) => p.sku === sku);

// The demo merchant's test secret key, known to everyone who reads the README. A real shop never puts a secret
// key in a page: its back end books orders and reads them.
export const DEMO_SECRET_KEY = 'sk_test_demo';

/** Books the cart as a shop's back end would (a simulated checkout), and returns the order. */
export async function checkout(lines, optionId, promise, shippingTotal, destination) {
  const items = lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: bySku(l.sku).price }));
  const itemsTotal = items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
  const at = simulatedInstant();
  const response = await fetch('/v1/orders', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${DEMO_SECRET_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      reference: `MD-${Date.now().toString(36).toUpperCase()}`,
      channel: 'demo',
      promiseId: promise?.promiseId,
      optionId,
      items,
      shippingAddress: {
        name: 'Client Démo',
        line1: '10 rue de la Roquette',
        postalCode: destination.postalCode,
        city: 'Paris',
        country: destination.country,
      },
      totals: {
        items: itemsTotal,
        shipping: shippingTotal,
        tax: 0,
        total: itemsTotal + shippingTotal,
        currency: 'EUR',
      },
      ...(at ? { at } : {}),
    }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? 'La commande a échoué.');
  return body;
}

/**
 * Builds an element: `h('li', { class: 'line' }, 'text', child)`. Strings become text nodes, never markup, so data
 * from the API (references, names, tracking descriptions, cancel reasons) cannot inject HTML into a page.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

const money = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
export const price = (cents) => money.format(cents / 100);

// The cart: [{ sku, quantity }]
const CART_KEY = 'demo:cart';
export function cart() {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY) ?? '[]').filter((line) => bySku(line.sku));
  } catch {
    return [];
  }
}
export function saveCart(lines) {
  localStorage.setItem(CART_KEY, JSON.stringify(lines.filter((line) => line.quantity > 0)));
  renderCartCount();
}
export function addToCart(sku, quantity) {
  const lines = cart();
  const line = lines.find((l) => l.sku === sku);
  if (line) line.quantity += quantity;
  else lines.push({ sku, quantity });
  saveCart(lines);
}
export const itemsAttribute = (lines) => lines.map((l) => `${l.sku}:${l.quantity}`).join(',');

function renderCartCount() {
  const count = cart().reduce((sum, l) => sum + l.quantity, 0);
  const badge = document.querySelector('[data-cart-count]');
  if (badge) badge.textContent = String(count);
}

// The simulated clock: the demo key is a test key, so the element may pass `at` to fix the API's clock.
const CLOCK_KEY = 'demo:at';
export function simulatedInstant() {
  return localStorage.getItem(CLOCK_KEY);
}
function applyClock() {
  const at = simulatedInstant();
  for (const element of document.querySelectorAll('delivery-promise')) {
    if (at) element.setAttribute('at', at);
    else element.removeAttribute('at');
  }
}
function toLocalInput(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function renderChrome() {
  const header = document.querySelector('header.site');
  header.innerHTML = `
    <a class="brand" href="./">Maison Démo</a>
    <nav aria-label="Boutique">
      <a href="./">Catalogue</a>
      <a href="cart.html" class="cart-link">Panier <span class="badge" data-cart-count>0</span></a>
    </nav>`;
  const bar = document.querySelector('aside.clock');
  bar.innerHTML = `
    <form class="clock-form">
      <label>Horloge simulée
        <input type="datetime-local" name="at" step="60">
      </label>
      <button type="submit">Appliquer</button>
      <button type="button" data-now>Heure réelle</button>
      <span class="hint">Clé de test : changez l'heure pour voir les heures limites, les jours fériés (25 décembre,
        lundi de Pâques) et les week-ends déplacer la promesse.</span>
    </form>`;
  const form = bar.querySelector('form');
  const input = form.querySelector('input');
  const at = simulatedInstant();
  input.value = toLocalInput(at ?? Date.now());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value) return;
    localStorage.setItem(CLOCK_KEY, new Date(input.value).toISOString());
    applyClock();
  });
  form.querySelector('[data-now]').addEventListener('click', () => {
    localStorage.removeItem(CLOCK_KEY);
    input.value = toLocalInput(Date.now());
    applyClock();
  });
  renderCartCount();
}

renderChrome();
applyClock();
