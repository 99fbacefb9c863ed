/**
 * The frame of leakhound's HTML pages (the run report and the comparison): one self-contained
 * document with its styles and a small script inline, and nothing fetched from the network —
 * a Content-Security-Policy in the page itself forbids it, so a report opened from an email or
 * an issue attachment behaves the same everywhere and cannot leak a request.
 */

/** Escapes text for HTML content and attribute values (double- or single-quoted). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Colours of the light theme; the browser tests look for these exact pixels. */
export const LIGHT_COLORS = {
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#59636e',
  faint: '#8c959f',
  panel: '#f6f8fa',
  border: '#d1d9e0',
  grid: '#eaeef2',
  rss: '#1f6feb',
  heapUsed: '#e8590c',
  heapTotal: '#d4a017',
  external: '#8250df',
  arrayBuffers: '#1a9e8f',
  limit: '#d1242f',
  baseline: '#6e7781',
  before: '#9aa4b0',
  good: '#1a7f37',
  bad: '#cf222e',
  connTotal: '#0550ae',
} as const;

const DARK_COLORS: Record<keyof typeof LIGHT_COLORS, string> = {
  bg: '#0d1117',
  fg: '#e6edf3',
  muted: '#9198a1',
  faint: '#6e7681',
  panel: '#151b23',
  border: '#3d444d',
  grid: '#21262d',
  rss: '#4493f8',
  heapUsed: '#f0883e',
  heapTotal: '#e3b341',
  external: '#ab7df8',
  arrayBuffers: '#39c5bb',
  limit: '#f85149',
  baseline: '#9198a1',
  before: '#6e7681',
  good: '#3fb950',
  bad: '#f85149',
  connTotal: '#79c0ff',
};

/** Marker colours per library, in lane order (most clients first). */
const LIBRARY_COLORS = { light: ['#1a7f37', '#bf3989', '#9a6700', '#1b7c83', '#6639ba', '#57606a'], dark: ['#3fb950', '#db61a2', '#d29922', '#39c5bb', '#a371f7', '#9198a1'] };
export const LIBRARY_COLOR_COUNT = LIBRARY_COLORS.light.length;

/** Stacked connection groups (filled at half opacity). */
const GROUP_COLORS = { light: ['#54aeff', '#4ac26b', '#d4a72c', '#c297ff', '#ff8182', '#6fdde3', '#ffa657', '#8c959f'], dark: ['#388bfd', '#2ea043', '#bb8009', '#8957e5', '#da3633', '#1b9c95', '#db6d28', '#6e7681'] };
export const GROUP_COLOR_COUNT = GROUP_COLORS.light.length;

function cssVariables(colors: Record<string, string>, libraries: string[], groups: string[]): string {
  const kebab = (name: string) => name.replace(/[A-Z]/g, (char) => `-${char.toLowerCase()}`);
  return [
    ...Object.entries(colors).map(([name, value]) => `--${kebab(name)}:${value}`),
    ...libraries.map((value, index) => `--lib-${index}:${value}`),
    ...groups.map((value, index) => `--group-${index}:${value}`),
  ].join(';');
}

// Every series class sets --c; lines, legend keys, markers, areas and tooltip swatches all
// take their colour from it, so one class colours a series everywhere.
const STYLE = `
:root{color-scheme:light dark;${cssVariables(LIGHT_COLORS, LIBRARY_COLORS.light, GROUP_COLORS.light)};--band:rgba(31,111,235,.07);--tip-bg:#1f2328;--tip-fg:#f6f8fa}
@media (prefers-color-scheme:dark){:root{${cssVariables(DARK_COLORS, LIBRARY_COLORS.dark, GROUP_COLORS.dark)};--band:rgba(68,147,248,.10);--tip-bg:#e6edf3;--tip-fg:#0d1117}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1120px;margin:0 auto;padding:28px 28px 48px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.kicker{text-transform:uppercase;letter-spacing:.07em;font-size:11.5px;font-weight:600;color:var(--muted)}
h1{font-size:26px;line-height:1.25;margin:4px 0 10px;overflow-wrap:anywhere}
h2{font-size:17px;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--border)}
h3{font-size:14px;margin:18px 0 6px}
.command{margin:0;background:var(--panel);border:1px solid var(--border);border-radius:6px;padding:8px 12px;white-space:pre-wrap;overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:2px 20px;margin-top:10px;color:var(--muted);font-size:13px}
.meta b{color:var(--fg);font-weight:600}
section{margin-top:34px}
.verdicts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px;margin-top:22px}
.verdict{border:1px solid var(--border);border-left:5px solid var(--muted);border-radius:8px;padding:12px 16px;background:var(--panel)}
.verdict.rising{border-left-color:var(--bad)}
.verdict.flat,.verdict.falling{border-left-color:var(--good)}
.verdict .headline{font-size:17px;font-weight:600}
.verdict.rising .headline{color:var(--bad)}
.verdict .detail{color:var(--muted);font-size:12.5px;margin-top:2px}
.verdict .limit{margin-top:6px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin-top:12px}
@media (max-width:720px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
.card{border:1px solid var(--border);border-radius:8px;padding:10px 14px}
.card .label{color:var(--muted);font-size:12px}
.card .value{font-size:21px;font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
.card .sub{color:var(--muted);font-size:12px}
.chart-box{border:1px solid var(--border);border-radius:8px;padding:10px 10px 4px;margin-top:6px;break-inside:avoid}
.chart-title{font-weight:600;font-size:13.5px;margin:0 4px 2px}
.legend{display:flex;flex-wrap:wrap;gap:2px 16px;font-size:12.5px;color:var(--muted);margin:0 4px 4px}
.key::before{content:"";display:inline-block;width:18px;height:3px;border-radius:2px;vertical-align:middle;margin:0 6px 2px 0;background:var(--c)}
.key.dashed::before{background:repeating-linear-gradient(90deg,var(--c) 0 6px,transparent 6px 9px)}
.key.dotted::before{background:repeating-linear-gradient(90deg,var(--c) 0 2px,transparent 2px 5px)}
.key.dot::before{width:10px;height:10px;border-radius:50%}
.key.ring::before{width:10px;height:10px;border-radius:50%;background:none;border:2px solid var(--c)}
.key.area::before{width:14px;height:11px;border-radius:2px;opacity:.55}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:11px;fill:var(--muted)}
.grid{stroke:var(--grid);stroke-width:1;shape-rendering:crispEdges}
.axis{stroke:var(--border);stroke-width:1;shape-rendering:crispEdges}
.line{fill:none;stroke:var(--c);stroke-width:1.75;stroke-linejoin:round;stroke-linecap:round;vector-effect:non-scaling-stroke}
.line.main{stroke-width:2.25}
.line.dashed{stroke-dasharray:6 3}
.line.dotted{stroke-dasharray:2 3;stroke-width:1.5}
.line.trend{stroke-dasharray:10 5;stroke-width:1.5;opacity:.85}
.rule{stroke:var(--c);stroke-width:1.5;stroke-dasharray:7 4;vector-effect:non-scaling-stroke}
svg.chart .rule-label{fill:var(--c);font-weight:600}
svg.chart .rule-label,svg.chart .band-label{paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.band{fill:var(--band)}
svg.chart .band-label{font-size:10.5px}
.lane-line{stroke:var(--grid);stroke-width:1}
svg.chart .lane-label{fill:var(--fg)}
.lane .marker{fill:var(--c);stroke:var(--bg);stroke-width:1;cursor:help}
.lane.hollow .marker{fill:var(--bg);stroke:var(--c);stroke-width:1.5}
.lane .marker:hover{stroke:var(--fg);stroke-width:2}
.area{fill:var(--c);fill-opacity:.55;stroke:none}
.crosshair{stroke:var(--muted);stroke-width:1;stroke-dasharray:3 3;pointer-events:none;vector-effect:non-scaling-stroke}
.rss{--c:var(--rss)}.heap-used{--c:var(--heap-used)}.heap-total{--c:var(--heap-total)}.external{--c:var(--external)}.array-buffers{--c:var(--array-buffers)}
.limit{--c:var(--limit)}.baseline{--c:var(--baseline)}.before{--c:var(--before)}.conn-total{--c:var(--conn-total)}.internal{--c:var(--faint)}
${LIBRARY_COLORS.light.map((_, index) => `.lib-${index}{--c:var(--lib-${index})}`).join('')}
${GROUP_COLORS.light.map((_, index) => `.group-${index}{--c:var(--group-${index})}`).join('')}
.note{color:var(--muted)}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 28px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--border);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.site{overflow-wrap:anywhere}
td.good,.change.better{color:var(--good);font-weight:600}td.bad,.change.worse{color:var(--bad);font-weight:600}
table.figures{max-width:820px}
th.group{color:var(--fg);font-size:13px;padding-top:16px}
.indent{display:inline-block;width:16px}
details summary{cursor:pointer}
.site .plain{padding-left:14px}
details pre{margin:6px 0 2px;white-space:pre-wrap;overflow-wrap:anywhere;color:var(--muted)}
.explain{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:4px 28px}
.explain p{margin:0 0 10px}
.explain b{font-weight:600}
ul.warnings{padding-left:20px}
ul.warnings li{margin-bottom:4px}
footer{margin-top:40px;color:var(--faint);font-size:12px}
#tip{position:fixed;z-index:10;display:none;pointer-events:none;max-width:min(620px,90vw);background:var(--tip-bg);color:var(--tip-fg);border-radius:6px;padding:8px 10px;font-size:12px;line-height:1.45;box-shadow:0 4px 18px rgba(0,0,0,.25);white-space:pre-wrap;overflow-wrap:anywhere}
#tip .when{font-weight:600;margin-bottom:2px}
#tip .sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:6px;background:var(--c)}
@media print{body{font-size:12px}main{max-width:none;padding:0}#tip{display:none!important}section{break-inside:avoid-page}}
`;

// An enhancement only: the charts, markers' <title> tooltips and tables work without it. It
// turns <title>s into a styled tooltip, adds a crosshair with the values under the pointer,
// and marks the page ready (the browser tests check that it ran without throwing).
const SCRIPT = `
(() => {
  const tip = document.getElementById('tip');
  const MB = 1048576;
  const memory = (b) => { const s = Math.abs(b); return s < MB ? Math.round(b / 1024) + ' KB' : s < 10 * MB ? (b / MB).toFixed(2) + ' MB' : s < 100 * MB ? (b / MB).toFixed(1) + ' MB' : s < 1024 * MB ? (b / MB).toFixed(0) + ' MB' : (b / 1024 / MB).toFixed(2) + ' GB'; };
  const time = (ms) => ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  const place = (event) => {
    tip.style.display = 'block';
    const x = event.clientX + 14 + tip.offsetWidth > innerWidth ? event.clientX - 14 - tip.offsetWidth : event.clientX + 14;
    const y = event.clientY + 14 + tip.offsetHeight > innerHeight ? Math.max(4, event.clientY - 14 - tip.offsetHeight) : event.clientY + 14;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = y + 'px';
  };
  const hide = () => { tip.style.display = 'none'; };
  for (const element of document.querySelectorAll('svg.chart .marker, svg.chart .band, svg.chart .area')) {
    const title = element.querySelector('title');
    if (!title) continue;
    element.setAttribute('data-tip', title.textContent);
    title.remove();
  }
  for (const svg of document.querySelectorAll('svg.chart[data-hover]')) {
    const data = JSON.parse(svg.getAttribute('data-hover'));
    const cross = svg.querySelector('.crosshair');
    const nearest = (xs, x) => { let lo = 0, hi = xs.length - 1; while (lo < hi) { const mid = (lo + hi) >> 1; if (xs[mid] < x) lo = mid + 1; else hi = mid; } return lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x) ? lo - 1 : lo; };
    svg.addEventListener('pointermove', (event) => {
      const own = event.target instanceof Element && event.target.getAttribute('data-tip');
      if (own && !event.target.classList.contains('band') && !event.target.classList.contains('area')) {
        cross.setAttribute('visibility', 'hidden');
        const [first, ...rest] = own.split('\\n');
        const head = document.createElement('div');
        head.className = 'when';
        head.textContent = first;
        tip.replaceChildren(head, rest.join('\\n').replace(/^\\n/, ''));
        place(event);
        return;
      }
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      if (point.x < data.left || point.x > data.left + data.width || data.lines.length === 0) { cross.setAttribute('visibility', 'hidden'); hide(); return; }
      cross.setAttribute('x1', point.x);
      cross.setAttribute('x2', point.x);
      cross.setAttribute('visibility', 'visible');
      tip.replaceChildren();
      const when = document.createElement('div');
      when.className = 'when';
      when.textContent = time(((point.x - data.left) / data.width) * data.xMaxMs) + (own ? ' · ' + own : '');
      tip.append(when);
      for (const line of data.lines) {
        if (line.x.length === 0) continue;
        const row = document.createElement('div');
        const swatch = document.createElement('span');
        swatch.className = 'sw ' + line.className;
        const value = line.v[nearest(line.x, point.x)];
        row.append(swatch, line.label + ': ' + (data.unit === 'bytes' ? memory(value) : value.toLocaleString('en-US')));
        tip.append(row);
      }
      place(event);
    });
    svg.addEventListener('pointerleave', () => { cross.setAttribute('visibility', 'hidden'); hide(); });
  }
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;

/** A complete HTML document around `body` (already escaped HTML). */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="leakhound">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<div id="tip" role="tooltip"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** A legend entry: `<span class="key rss">RSS</span>`; `style` picks the key's shape. */
export function legendKey(label: string, className: string, style: 'line' | 'dashed' | 'dotted' | 'dot' | 'ring' | 'area' = 'line'): string {
  return `<span class="key ${escapeHtml(className)}${style === 'line' ? '' : ` ${style}`}">${escapeHtml(label)}</span>`;
}
