/**
 * The design tokens the element and the console share: the element's `--dp-*` custom properties and their
 * defaults (widget/src/delivery-promise/delivery-promise.styles.ts falls back to these; a test keeps them equal).
 */
export const DESIGN_TOKENS = {
  '--dp-color-text': '#1f2328',
  '--dp-color-muted': '#57606a',
  '--dp-color-accent': '#0b6e4f',
  '--dp-color-border': '#d0d7de',
  '--dp-color-surface': '#ffffff',
  '--dp-color-focus': '#0969da',
  '--dp-color-skeleton': '#eaeef2',
  '--dp-radius': '8px',
  '--dp-space': '0.5rem',
} as const;
