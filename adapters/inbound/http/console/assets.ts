/**
 * The console's only two static files, kept in the code so the bundled server (the Docker image's
 * single .mjs) needs no file beside it. Served from the console's own origin with a content hash
 * in the URL, so they may be cached for a year. Colours meet WCAG AA contrast on their
 * backgrounds (4.5:1 for text; the browser tests run axe-core over every page).
 */
import { createHash } from 'node:crypto';

export const CONSOLE_CSS = `
:root{--fg:#1b1f24;--muted:#4a5563;--bg:#fff;--panel:#f4f6f8;--line:#c9d1d9;--link:#0a55b8;--focus:#b35900;
--now:#8b1a1a;--act:#a3121f;--attend:#9a4a00;--trackstar:#6b5a00;--track:#2f6b36;--none:#4a5563}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5em}
.skip:focus{left:.5em}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:1em;padding:.6em 1em;background:#14202e;color:#fff}
header.top a{color:#fff}
header.top nav ul{display:flex;gap:1em;list-style:none;margin:0;padding:0}
header.top nav a[aria-current=page]{font-weight:700;text-decoration:underline}
header.top .who{margin-left:auto;display:flex;align-items:center;gap:.6em}
header.top .brand{font-weight:700;text-decoration:none}
header.top button{background:#fff;color:#14202e;border:0}
main{padding:1em;max-width:1200px}
h1{font-size:1.5em;margin:.2em 0 .5em}
h2{font-size:1.15em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.panel{background:var(--panel);padding:.6em .8em;border-radius:4px;margin:.5em 0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1em}
form.inline{display:inline}
form.filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:flex-end;background:var(--panel);padding:.6em;border-radius:4px}
form.filters .field,form.stack label{display:flex;flex-direction:column;font-size:.9em}
form.stack{display:flex;flex-direction:column;gap:.6em;max-width:28em}
input,select,button,textarea{font:inherit;padding:.3em .5em;border:1px solid #6b7580;border-radius:3px;background:#fff;color:var(--fg)}
button{background:#0a55b8;color:#fff;border-color:#0a55b8;cursor:pointer}
button.danger{background:#a3121f;border-color:#a3121f}
button.secondary{background:#fff;color:#0a55b8}
.flash{padding:.6em .8em;border-radius:4px;margin:.5em 0;border:1px solid}
.flash.ok{background:#e9f5ec;border-color:#2f6b36}
.flash.error{background:#fbeaea;border-color:#a3121f}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.85em;font-weight:600;border:1px solid currentColor}
.d-patch-now,.s-act{color:var(--act)}.d-next-window,.s-attend{color:var(--attend)}.d-routine,.s-trackstar{color:var(--trackstar)}
.d-mitigate{color:#5b2a86}.d-blocked{color:#7a1f5c}.d-none,.s-track{color:var(--track)}
.pager{display:flex;gap:1em;align-items:center}
svg.chart{max-width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:4px}
svg .label,svg .value,svg .tick{font-size:12px;fill:var(--fg)}
svg .grid{stroke:#d8dee4;stroke-width:1}
svg .line{fill:none;stroke-width:1.6}
svg .line.cpu{stroke:#0a55b8}svg .line.trend{stroke:#0a55b8}svg .line.status{stroke:#a3121f}
svg .now{stroke:var(--now);stroke-width:1.5;stroke-dasharray:4 3}
svg .band.quiet-window{fill:#2f6b36;fill-opacity:.35}
svg .band.quiet-window-past{fill:#2f6b36;fill-opacity:.15}
svg .bar.decision-patch-now,svg .bar.ssvc-act{fill:var(--act)}
svg .bar.decision-next-window,svg .bar.ssvc-attend{fill:var(--attend)}
svg .bar.decision-routine,svg .bar.ssvc-trackstar{fill:var(--trackstar)}
svg .bar.decision-mitigate{fill:#5b2a86}svg .bar.decision-blocked{fill:#7a1f5c}
svg .bar.decision-none,svg .bar.ssvc-track{fill:var(--track)}
svg .bar.window-immediate{fill:var(--act)}svg .bar.window-cpu-history{fill:var(--track)}svg .bar.window-default{fill:#0a55b8}
svg .mark.due{fill:#1b1f24}svg .mark.overdue{fill:var(--act)}
.legend{display:flex;flex-wrap:wrap;gap:1em;font-size:.9em;margin:.3em 0}
.legend .sw{display:inline-block;width:1em;height:1em;vertical-align:-.15em;margin-right:.3em;border:1px solid #1b1f24}
.sw.quiet{background:#97bb9c}.sw.quiet-past{background:#d5e4d7}.sw.now{background:var(--now)}.sw.immediate{background:var(--act)}.sw.cpu-history{background:var(--track)}.sw.default{background:#0a55b8}
details>summary{cursor:pointer}
ul.reasons{margin:.2em 0;padding-left:1.2em}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`.trim();

/**
 * Refreshes a page that asks for it (body data-refresh="SECONDS": a run that is executing), with a
 * button to pause it (WCAG 2.2.2), and never while the person is typing in a form.
 */
export const CONSOLE_JS = `
(function(){var b=document.body,s=Number(b.getAttribute('data-refresh'));if(!s)return;
var t=null,btn=document.getElementById('refresh-toggle'),st=document.getElementById('refresh-state');
function arm(){t=setTimeout(function(){var a=document.activeElement;if(a&&/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)){arm();return;}location.reload();},s*1000);}
function set(on){if(on){arm();}else{clearTimeout(t);t=null;}if(btn){btn.setAttribute('aria-pressed',on?'false':'true');btn.textContent=on?'Pause refresh':'Resume refresh';}if(st){st.textContent=on?'Refreshing every '+s+' s':'Refresh paused';}}
if(btn){btn.hidden=false;btn.addEventListener('click',function(){set(t===null);});}
set(true);})();
`.trim();

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);

export interface StaticAsset {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
}

export const ASSETS: readonly StaticAsset[] = [
  { path: `/console/assets/console-${hash(CONSOLE_CSS)}.css`, type: 'text/css; charset=utf-8', body: Buffer.from(CONSOLE_CSS), etag: `"${hash(CONSOLE_CSS)}"` },
  { path: `/console/assets/console-${hash(CONSOLE_JS)}.js`, type: 'text/javascript; charset=utf-8', body: Buffer.from(CONSOLE_JS), etag: `"${hash(CONSOLE_JS)}"` },
];

export const CSS_PATH = ASSETS[0]?.path as string;
export const JS_PATH = ASSETS[1]?.path as string;
