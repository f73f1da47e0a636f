/**
 * The shopper's destination, remembered across pages (localStorage) and shared by every element on the page:
 * a change in one element reaches the others through one window event.
 */
export interface Destination {
  country: string;
  postalCode: string | null;
}

const STORAGE_KEY = 'promesse:destination';
const CHANGE_EVENT = 'promesse-destination-change';

export function storedDestination(): Destination | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Destination | null;
    return value && typeof value.country === 'string' ? value : null;
  } catch {
    return null; // storage blocked (privacy mode) or garbage: behave as if nothing was chosen
  }
}

export function chooseDestination(destination: Destination): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(destination));
  } catch {
    // storage blocked: the choice still reaches this page's elements
  }
  window.dispatchEvent(new CustomEvent<Destination>(CHANGE_EVENT, { detail: destination }));
}

export function onDestinationChange(listener: (destination: Destination) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<Destination>).detail);
  window.addEventListener(CHANGE_EVENT, handler);
  return () => window.removeEventListener(CHANGE_EVENT, handler);
}

/** Forgets the remembered destination (tests, and pages offering "use another address"). */
export function forgetDestination(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing to forget
  }
}
