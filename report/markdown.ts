import { esc } from './escape';

/**
 * Just enough Markdown for docs/ideal-pipeline.md to appear in the report's appendix:
 * headings, paragraphs, flat lists, fenced code, and inline code, bold, italics and http(s)
 * links. Everything is escaped first, so the document can only add the tags produced here.
 */

interface List {
  tag: 'ul' | 'ol';
  items: string[];
}

export interface MarkdownOptions {
  /** Added to every heading level, to nest the document under the report's own headings. */
  headingOffset?: number;
}

export function markdownToHtml(md: string, opts: MarkdownOptions = {}): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: List | null = null;
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !/^```\s*$/.test(lines[i])) code.push(lines[i]);
      out.push(codeBlock(fence[1], code.join('\n')));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1].length + (opts.headingOffset ?? 0));
      out.push(`<h${level} id="${esc(slug(heading[2]))}">${inline(heading[2])}</h${level}>`);
      continue;
    }
    const item = /^\s*([-*]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      const tag = /\d/.test(item[1]) ? 'ol' : 'ul';
      if (paragraph.length > 0 || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push(item[2]);
    } else if (line.trim() === '') {
      flush();
    } else if (list && /^\s/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

function codeBlock(lang: string, code: string): string {
  // No network at view time, so no Mermaid renderer: the diagram is shown as its source.
  if (lang === 'mermaid') {
    return `<figure class="mermaid"><pre><code>${esc(code)}</code></pre><figcaption>Diagram source (Mermaid; rendered by GitHub and most Markdown viewers)</figcaption></figure>`;
  }
  return `<pre${lang ? ` class="language-${esc(lang)}"` : ''}><code>${esc(code)}</code></pre>`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Code spans are cut out first so that their content stays literal. */
function inline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, k) => (k % 2 === 1 ? `<code>${esc(part.slice(1, -1))}</code>` : emphasis(esc(part))))
    .join('');
}

function emphasis(html: string): string {
  return html
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*(?!\s)(.+?)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => (/^https?:\/\//.test(url) ? `<a href="${url}">${label}</a>` : label));
}
