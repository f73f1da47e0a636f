/** The console bundle's entry: its styles (the shared design tokens, uPlot's) and the app. */
import 'uplot/dist/uPlot.min.css';
import './console.css';
import { DESIGN_TOKENS } from '../../shared/src/design-tokens.ts';
import { locale, setLocale } from './i18n.ts';
import './app.ts';

for (const [name, value] of Object.entries(DESIGN_TOKENS)) document.documentElement.style.setProperty(name, value);
setLocale(locale());
