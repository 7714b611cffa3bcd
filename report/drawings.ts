import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runHeadless } from './pdf';

/**
 * Mermaid diagrams drawn to SVG when the report is built, by the mermaid package's browser
 * build in the headless Chromium that prints the PDF: the report then holds the drawings
 * themselves (readable with JavaScript off, vector in the PDF) and fetches nothing.
 */

/**
 * In the report's palette (report/svg.ts), with labels as SVG text, which every viewer and the
 * PDF keep as text. Large type and tight spacing: a drawing is scaled down to the page's width,
 * and its labels must stay readable there.
 */
const CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  htmlLabels: false,
  flowchart: { nodeSpacing: 32, rankSpacing: 36 },
  theme: 'base',
  themeVariables: {
    fontFamily: 'Helvetica, Arial, sans-serif',
    fontSize: '20px',
    primaryColor: '#e6eefa',
    primaryBorderColor: '#4c78c0',
    primaryTextColor: '#1a202c',
    secondaryColor: '#e6f4ea',
    tertiaryColor: '#f7fafc',
    clusterBorder: '#a0aec0',
    lineColor: '#4a5568',
  },
};

/**
 * Renders each source in turn, then replaces the page by one element per drawing (base64, so
 * the DOM dump cannot alter the markup), or by the first error.
 */
const SCRIPT = `
const encode = (s) => btoa(Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join(''));
const show = (id, texts) => document.body.replaceChildren(Object.assign(document.createElement('pre'), { id, textContent: texts.map(encode).join(' ') }));
(async () => {
  mermaid.initialize(CONFIG);
  const svgs = [];
  for (const [i, source] of SOURCES.entries()) {
    try {
      svgs.push((await mermaid.render('drawing-' + i, source)).svg);
    } catch (e) {
      throw new Error('diagram ' + (i + 1) + ': ' + String(e && e.message || e).split('\\n')[0]);
    }
  }
  show('drawings', svgs);
})().catch((e) => show('error', [String(e && e.message || e)]));
`;

/** A JSON value as a script literal: no `</script>` can close the element early. */
const scriptLiteral = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(sources: readonly string[]): string {
  const mermaidJs = pathToFileURL(require.resolve('mermaid/dist/mermaid.min.js')).href;
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' file:; style-src 'unsafe-inline'">
<script src="${mermaidJs}"></script></head><body>
<script>const CONFIG = ${scriptLiteral(CONFIG)}; const SOURCES = ${scriptLiteral(sources)};${SCRIPT}</script>
</body></html>`;
}

/** One SVG per source, in order; a source Mermaid cannot draw fails with the first line of its error. */
export async function drawMermaid(chromium: string, sources: readonly string[]): Promise<string[]> {
  if (sources.length === 0) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-drawings-'));
  try {
    const file = path.join(dir, 'drawings.html');
    fs.writeFileSync(file, page(sources));
    // Virtual time lets the page's async rendering finish before the DOM is dumped, without a fixed wait.
    const { stdout } = await runHeadless(chromium, ['--virtual-time-budget=60000', '--dump-dom', pathToFileURL(file).href]);
    const shown = /<pre id="(drawings|error)">([^<]*)<\/pre>/.exec(stdout);
    if (!shown) throw new Error('Mermaid did not finish drawing in Chromium');
    const texts = shown[2].split(' ').map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
    if (shown[1] === 'error') throw new Error(`Mermaid could not draw ${texts[0]}`);
    return texts;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
