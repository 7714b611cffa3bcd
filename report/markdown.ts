import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { esc } from './escape';

/**
 * docs/ideal-pipeline.md as HTML, by markdown-it with raw HTML off: markup written in the
 * document is shown as text, so it can only add the elements Markdown itself makes. Links go
 * only to http(s) (a link into the repository would not resolve in a report); the label of any
 * other link stays as text. Mermaid blocks become their drawings where they were drawn.
 */

export interface MarkdownOptions {
  /** Added to every heading level, to nest the document under the report's own headings. */
  headingOffset?: number;
  /** SVG drawn for each Mermaid block, by its source; a block without one shows its source. */
  drawings?: ReadonlyMap<string, string>;
}

const md = new MarkdownIt({ html: false });

const isMermaid = (token: Token) => token.type === 'fence' && token.info.trim() === 'mermaid';

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Unlinks non-http(s) links: their open and close tokens render as nothing, the label stays. */
function unlinkLocal(children: Token[]): void {
  const open: Token[] = [];
  for (const t of children) {
    if (t.type === 'link_open') {
      open.push(t);
      t.hidden = !/^https?:\/\//i.test(String(t.attrGet('href') ?? ''));
    } else if (t.type === 'link_close') {
      t.hidden = open.pop()?.hidden ?? false;
    }
  }
}

/** A Mermaid block's drawing, or its source with a one-line note. */
function drawingHtml(source: string, svg: string | undefined): string {
  if (svg) return `<figure class="drawing">${svg}</figure>\n`;
  return `<figure class="mermaid"><pre><code>${esc(source)}</code></pre><figcaption>Mermaid source: the report draws it where Chromium is installed (CHROMIUM_PATH).</figcaption></figure>\n`;
}

export function markdownToHtml(source: string, opts: MarkdownOptions = {}): string {
  const env = {};
  const tokens = md.parse(source, env);
  tokens.forEach((t, i) => {
    // Markup made here, not parsed from the document: html_block renders its content as is.
    if (isMermaid(t)) Object.assign(t, { type: 'html_block', content: drawingHtml(t.content, opts.drawings?.get(t.content)) });
    if (t.type === 'heading_open' || t.type === 'heading_close') {
      t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + (opts.headingOffset ?? 0))}`;
      if (t.type === 'heading_open') t.attrSet('id', slug(tokens[i + 1].content));
    }
    if (t.type === 'inline' && t.children) unlinkLocal(t.children);
  });
  return md.renderer.render(tokens, md.options, env);
}

/** The sources of the document's Mermaid blocks, in order: what markdownToHtml's drawings are keyed by. */
export function mermaidSources(source: string): string[] {
  return md.parse(source, {}).filter(isMermaid).map((t) => t.content);
}
