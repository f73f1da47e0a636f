import { css } from 'lit';

export const styles = css`
  :host {
    --_text: var(--dp-color-text, #1f2328);
    --_muted: var(--dp-color-muted, #57606a);
    --_accent: var(--dp-color-accent, #0b6e4f);
    --_border: var(--dp-color-border, #d0d7de);
    --_surface: var(--dp-color-surface, #ffffff);
    --_focus: var(--dp-color-focus, #0969da);
    --_skeleton: var(--dp-color-skeleton, #eaeef2);
    --_radius: var(--dp-radius, 8px);
    --_space: var(--dp-space, 0.5rem);
    --_line: 1.5em;
    display: block;
    font-family: var(--dp-font-family, inherit);
    font-size: var(--dp-font-size, 1rem);
    line-height: var(--_line);
    color: var(--_text);
  }
  :host([hidden]) {
    display: none;
  }
  p {
    margin: 0;
  }
  .row {
    min-height: var(--_line);
  }
  [part='headline'] {
    font-weight: 600;
  }
  [part='countdown'] {
    color: var(--_accent);
  }
  .muted {
    color: var(--_muted);
  }
  .skeleton {
    display: inline-block;
    width: 14em;
    max-width: 100%;
    height: 0.9em;
    vertical-align: middle;
    border-radius: var(--_radius);
    background: var(--_skeleton);
  }
  button.link {
    font: inherit;
    color: var(--_accent);
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
    cursor: pointer;
  }
  button,
  input,
  select {
    font: inherit;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
  form {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: end;
  }
  label.field {
    display: grid;
    font-size: 0.875em;
    color: var(--_muted);
  }
  input[type='text'],
  select {
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25em 0.5em;
    min-width: 6em;
  }
  form button {
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25em 0.75em;
    background: var(--_accent);
    color: #fff;
    cursor: pointer;
  }
  form button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  fieldset {
    border: 0;
    margin: var(--_space) 0;
    padding: 0;
  }
  /* Three option rows are reserved while loading and kept, so nothing below moves when the answer arrives. */
  .option-list {
    display: grid;
    align-content: start;
    gap: var(--_space);
    min-height: calc(3 * (2 * var(--_line) + 2 * var(--_space) + 2px) + 2 * var(--_space));
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  legend {
    font-weight: 600;
    margin-bottom: var(--_space);
    padding: 0;
  }
  [part='option'] {
    display: grid;
    grid-template-columns: auto 1fr auto;
    gap: 0 var(--_space);
    align-items: start;
    min-height: calc(2 * var(--_line));
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  [part='option']:has(input:checked) {
    border-color: var(--_accent);
    box-shadow: 0 0 0 1px var(--_accent);
  }
  [part='option'] input {
    margin: 0.3em 0 0;
    accent-color: var(--_accent);
  }
  /* Every option is exactly two lines, whatever its text: long names and details end in an ellipsis. */
  .option-name,
  .option-detail {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .option-name {
    font-weight: 600;
  }
  /* Placed, not auto-placed: the tags share the second line with the dates, so every option stays two lines. */
  .option-tags {
    grid-column: 3;
    grid-row: 2;
    white-space: nowrap;
    text-align: end;
  }
  .option-price {
    font-weight: 600;
    text-align: end;
  }
  .option-detail {
    grid-column: 2;
    grid-row: 2;
    color: var(--_muted);
    font-size: 0.9375em;
  }
  .tag {
    display: inline-block;
    margin-inline-start: 0.4em;
    padding: 0 0.4em;
    font-size: 0.75em;
    font-weight: 600;
    line-height: 1.6;
    border-radius: 999px;
    color: var(--_accent);
    border: 1px solid currentColor;
  }
  .option-skeleton {
    min-height: calc(2 * var(--_line));
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;
