import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths';
import { listedUnder } from '../../report/markdown';
import { FINDING_SLIDES, renderSlides, type DeckInput } from '../../report/slides';
import { PAYLOADS, reportModel, tags } from '../fixtures/report-model';

const DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" aria-roledescription="flowchart-v2"><text>Quality gates</text></svg>';
const DECK: DeckInput = { drawing: { svg: DRAWING }, recommendations: [{ heading: 'Recommendations: more accurate', leads: ['Pass a click id.'] }] };

const slidesOf = (html: string) => html.match(/<section class="slide[^"]*">[\s\S]*?<\/section>/g) ?? [];

describe('renderSlides', () => {
  const model = reportModel();
  const html = renderSlides(model, DECK);
  const slides = slidesOf(html);
  const findings = model.analysed!.analysis.findings;

  it('has the eight fixed slides and one per top finding: 8 to 12', () => {
    expect(findings.length).toBeGreaterThan(0);
    expect(slides).toHaveLength(8 + Math.min(FINDING_SLIDES, findings.length));
    const many = reportModel();
    many.analysed!.analysis.findings = Array.from({ length: 9 }, () => findings[0]);
    expect(slidesOf(renderSlides(many, DECK))).toHaveLength(12);
    const none = reportModel();
    none.analysed = null;
    expect(slidesOf(renderSlides(none, DECK))).toHaveLength(8);
  });

  it('gives each top finding its chart, interval, n and action', () => {
    const own = slides.filter((s) => s.includes('Finding '));
    expect(own).toHaveLength(Math.min(FINDING_SLIDES, findings.length));
    own.forEach((s, i) => {
      expect(s).toContain(`Finding ${i + 1} of ${findings.length}`);
      expect((s.match(/class="mark"/g) ?? []).length).toBe(2);
      expect(s).toMatch(/95% CI \[[\d.]+%, [\d.]+%\], n = [\d,]+/);
      expect(s).toContain(`n = ${findings[i].n.toLocaleString('en-US')}`);
      expect(s).toMatch(/class="action (higher|lower)">Action: /);
    });
  });

  it('shows the headline figures, data quality, the drawing and the recommendations', () => {
    const by = (kicker: string) => slides.find((s) => s.includes(`<p class="kicker">${kicker}</p>`))!;
    expect(by('Headline figures')).toContain('clicks analysed');
    expect(by('Headline figures')).toMatch(/class="mark"/);
    expect(by('Data quality')).toContain('share quarantined');
    expect(by('The ideal pipeline')).toContain(DRAWING);
    expect(by('Recommendations')).toContain('Pass a click id.');
    const missing = renderSlides(model, { ...DECK, drawing: { missing: 'docs/ideal-pipeline.md has no Mermaid drawing' } });
    expect(missing).toContain('docs/ideal-pipeline.md has no Mermaid drawing');
  });

  it('shows values from the data only as text', () => {
    const names = new Set(tags(html).map((t) => /^<([a-zA-Z!]+)/.exec(t)![1].toLowerCase()));
    expect(names.has('script')).toBe(false);
    expect(names.has('img')).toBe(false);
    expect(tags(html).filter((t) => /\son\w+\s*=/i.test(t))).toEqual([]);
    expect(findings.slice(0, 12).some((f) => PAYLOADS.includes(f.group))).toBe(true);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain(`default-src 'none'`);
  });

  it('is 16:9, one slide a page', () => {
    expect(html).toContain('@page { size: 10in 5.625in; margin: 0; }');
    expect(html).toMatch(/\.slide \{[^}]*width: 10in; height: 5\.625in;[^}]*overflow: hidden; break-after: page;/);
  });
});

describe('listedUnder', () => {
  it('gives the bold lead of each top-level item under the matching headings', () => {
    const md = '## Recs: one\n\n1. **First.** More text.\n   - **nested** not a lead\n2. Plain `code` item.\n\n## Other\n\n- not listed\n\n## Recs: two\n\n- **Third.** x\n';
    expect(listedUnder(md, 'Recs')).toEqual([
      { heading: 'Recs: one', leads: ['First.', 'Plain code item.'] },
      { heading: 'Recs: two', leads: ['Third.'] },
    ]);
  });

  it('finds the recommendations of docs/ideal-pipeline.md', () => {
    const doc = fs.readFileSync(path.join(projectRoot(__dirname), 'docs', 'ideal-pipeline.md'), 'utf8');
    const sections = listedUnder(doc, 'Recommendations');
    expect(sections.map((s) => s.heading)).toEqual(['Recommendations: more accurate', 'Recommendations: more automatic']);
    expect(sections[0].leads[0]).toMatch(/^Pass a click id through the broker's tracking link\./);
    for (const s of sections) expect(s.leads.length).toBeGreaterThanOrEqual(3);
  });
});
