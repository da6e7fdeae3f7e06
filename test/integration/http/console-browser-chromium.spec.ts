/** The console's user path, axe-core and screenshots in Chromium: see console-browser-kit.ts. */
import { consoleBrowserSpec } from './console-browser-kit.js';

consoleBrowserSpec('chromium');
