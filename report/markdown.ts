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

export interface ListedSection {
  heading: string;
  /** Each item's bold lead, or its text where it has none. */
  leads: string[];
}

/**
 * The items listed under each heading that starts with `prefix`, one line each: the
 * recommendations of docs/ideal-pipeline.md for the slides, as the document words them.
 */
export function listedUnder(source: string, prefix: string): ListedSection[] {
  const tokens = md.parse(source, {});
  const sections: ListedSection[] = [];
  let current: ListedSection | null = null;
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open') {
      const heading = tokens[i + 1].content;
      current = heading.startsWith(prefix) ? { heading, leads: [] } : null;
      if (current) sections.push(current);
    }
    if (t.type === 'list_item_open') depth++;
    if (t.type === 'list_item_close') depth--;
    // The first paragraph of a top-level item: nested lists and later paragraphs are detail.
    if (current && depth === 1 && t.type === 'inline' && tokens[i - 2]?.type === 'list_item_open') current.leads.push(lead(t));
  });
  return sections;
}

/** The bold text an item opens with (markdown-it puts an empty text token before it), or all its text. */
function lead(inline: Token): string {
  const children = (inline.children ?? []).filter((c) => c.type !== 'text' || c.content !== '');
  const close = children.findIndex((c) => c.type === 'strong_close');
  const text = (parts: Token[]) => parts.map((c) => c.content).join('').trim();
  return children[0]?.type === 'strong_open' && close > 0 ? text(children.slice(1, close)) : text(children);
}
