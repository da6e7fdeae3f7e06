/** The console's user path, axe-core and screenshots in Firefox ESR (WebDriver BiDi): see console-browser-kit.ts. */
import { consoleBrowserSpec } from './console-browser-kit.js';

consoleBrowserSpec('firefox');
