import { describe, expect, it } from 'vitest';
import { markdownToHtml, mermaidSources } from '../../report/markdown';
import { render } from '../../report/render';
import { hbars, lines, niceTicks } from '../../report/svg';
import { PAYLOADS, reportModel, tags } from '../fixtures/report-model';

describe('render', () => {
  const html = render(reportModel());

  it('shows values from the data only as text: no tag or event handler comes from them', () => {
    expect(reportModel().analysed!.analysis.findings.some((f) => PAYLOADS.includes(f.group))).toBe(true);
    const names = new Set(tags(html).map((t) => /^<([a-zA-Z!]+)/.exec(t)![1].toLowerCase()));
    expect(names.has('script')).toBe(false);
    expect(names.has('img')).toBe(false);
    expect(tags(html).filter((t) => /\son\w+\s*=/i.test(t))).toEqual([]);
    for (const escaped of ['&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;', '&lt;img src=x onerror=alert(1)&gt;', 'x&#39; OR &#39;1&#39;=&#39;1']) {
      expect(html.includes(escaped), escaped).toBe(true);
    }
  });

  it('escapes inside SVG text too', () => {
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g)!;
    const ui = charts.find((c) => c.includes('UI element: rates by group'))!;
    expect(ui).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(ui).not.toMatch(/<img|<script/);
  });

  it('loads nothing from the network', () => {
    expect(html).toContain(`default-src 'none'`);
    expect(html).not.toMatch(/\s(src|href)=["']?(https?:)?\/\//i);
  });

  it('draws data in every chart', () => {
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g)!;
    // findings, funnel, rows per day, match rate, false matches, one per dimension with groups (2), lag
    expect(charts.length).toBe(8);
    for (const c of charts) expect((c.match(/class="mark"/g) ?? []).length, c.slice(0, 200)).toBeGreaterThan(0);
  });

  it('lists findings with intervals, sample sizes, the test and an action', () => {
    expect(html).toMatch(/95% CI \[[\d.]+%, [\d.]+%\], n = [\d,]+/);
    expect(html).toContain('Holm-adjusted');
    expect(html).toMatch(/class="action">Action: /);
  });

  it('renders a mart with no overlap between the sources', () => {
    const m = reportModel();
    m.analysed = null;
    m.coverage = { clicks: { rows: 0, period: null }, broker: { rows: 0, period: null }, matched: 0, overlap: null };
    m.days = [];
    m.quality = { sources: [], quarantine: [], flags: [] };
    const empty = render(m);
    expect(empty).toContain('nothing to analyse');
    expect(empty).toContain('</html>');
  });
});

describe('charts', () => {
  it('hbars: one bar per value with its interval, labels clipped to their column', () => {
    const svg = hbars('t', ['a'.repeat(80), 'b'], [{ title: 'rate', format: String, bars: [{ value: 0.5, ci: [0.4, 0.6] }, null], reference: 0.3 }]);
    expect(svg.match(/class="mark"/g)).toHaveLength(1);
    expect(svg).toContain('…');
    expect(svg).toContain(`<title>${'a'.repeat(80)}</title>`);
    expect(svg).toContain('stroke-dasharray');
  });

  it('niceTicks: round steps from 0 up to the maximum', () => {
    expect(niceTicks(0.44)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(3163)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0.031)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('lines: a null breaks the line', () => {
    const svg = lines('t', ['2024-04-01', '2024-04-02', '2024-04-03'], [{ name: 's', values: [1, null, 3] }], String);
    expect(svg.match(/class="mark"/g)).toHaveLength(2);
    expect((/<path d="([^"]*)"/.exec(svg)![1].match(/M/g) ?? []).length).toBe(2);
  });
});

describe('markdownToHtml', () => {
  it('renders headings (offset, with ids), paragraphs, lists and code', () => {
    const out = markdownToHtml('# Title\n\nSome **bold** and `a<b>` and *it*.\n\n- one\n- two\n\n1. first\n2. second\n\n```ts\nconst x = 1 < 2;\n```\n', {
      headingOffset: 1,
    });
    expect(out).toContain('<h2 id="title">Title</h2>');
    expect(out).toContain('<p>Some <strong>bold</strong> and <code>a&lt;b&gt;</code> and <em>it</em>.</p>');
    expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(out).toMatch(/<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
    expect(out).toContain('<code class="language-ts">const x = 1 &lt; 2;');
  });

  it('renders tables and nested lists, escaping their cells', () => {
    const out = markdownToHtml('| layer | tables |\n| --- | --- |\n| raw | `<x>` and <b>y</b> |\n\n- outer\n  - inner\n    1. deepest\n');
    expect(out).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>layer<\/th>\s*<th>tables<\/th>/);
    expect(out).toContain('<td><code>&lt;x&gt;</code> and &lt;b&gt;y&lt;/b&gt;</td>');
    expect(out).toMatch(/<li>outer\s*<ul>\s*<li>inner\s*<ol>\s*<li>deepest<\/li>/);
  });

  it('shows a Mermaid block as its drawing where one was drawn, else as its source with a one-line note', () => {
    const source = 'flowchart LR\n  A-->B\n';
    const md = '```mermaid\n' + source + '```\n';
    expect(mermaidSources(md)).toEqual([source]);
    const plain = markdownToHtml(md);
    expect(plain).toContain('<figure class="mermaid"><pre><code>flowchart LR\n  A--&gt;B\n</code></pre><figcaption>');
    expect(plain.match(/<figcaption>[^<\n]+<\/figcaption>/)).not.toBeNull();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>A</text></svg>';
    const drawn = markdownToHtml(md, { drawings: new Map([[source, svg]]) });
    expect(drawn).toContain(`<figure class="drawing">${svg}</figure>`);
    expect(drawn).not.toContain('flowchart');
  });

  it('escapes HTML and links only to http(s)', () => {
    const out = markdownToHtml('<script>alert(1)</script> [ok](https://temporal.io) [bad](javascript:alert(1)) [rel](../x.md)\n\n<img src=x onerror=alert(1)>\n');
    expect(tags(out).filter((t) => /^<(script|img)/i.test(t) || /\son\w+\s*=/i.test(t))).toEqual([]);
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('<a href="https://temporal.io">ok</a>');
    expect(out).not.toContain('href="javascript');
    expect(out).not.toContain('x.md"');
    expect(out).toContain(' rel');
  });
});
