import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { barChartSvg, lineChartSvg } from './charts.js';
import { htmlReport } from './html-report.js';

interface XmlNode {
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
}

function walk(node: XmlNode, visit: (n: XmlNode) => void): void {
  visit(node);
  for (const c of node.children ?? []) walk(c, visit);
}

function parseSvg(svg: string) {
  const doc = parseDocument(svg, { xmlMode: true }) as unknown as XmlNode;
  const elements: XmlNode[] = [];
  const texts: string[] = [];
  walk(doc, (n) => {
    if (n.name) elements.push(n);
    if (n.data !== undefined && n.data.trim() !== '') texts.push(n.data.trim());
  });
  return { elements, texts, root: elements[0] };
}

describe('charts', () => {
  it('renders a line chart as real SVG with every series in the legend and one line each', async () => {
    const svg = await lineChartSvg({
      title: 'needle recall',
      xTitle: 'haystack tokens',
      yTitle: 'recall',
      xLog: true,
      yDomain: [0, 1],
      dashed: ['128k window'],
      points: [
        { x: 1e5, y: 1, series: 'funnel' },
        { x: 1e6, y: 0.98, series: 'funnel' },
        { x: 1e5, y: 1, series: '128k window' },
        { x: 1e6, y: 0.128, series: '128k window' },
      ],
    });
    const { root, texts, elements } = parseSvg(svg);
    expect(root.name).toBe('svg');
    expect(Number(root.attribs?.width)).toBeGreaterThan(100);
    expect(texts).toContain('needle recall');
    expect(texts).toContain('funnel');
    expect(texts).toContain('128k window');
    expect(texts).toContain('haystack tokens');
    // One line path per series, each with a real path.
    const lines = elements.filter((e) => e.name === 'g' && /mark-line/.test(e.attribs?.class ?? ''));
    const paths = lines.flatMap((g) => (g.children ?? []).filter((c) => c.name === 'path'));
    expect(paths).toHaveLength(2);
    for (const p of paths) expect(p.attribs?.d).toMatch(/^M[\d.-]+,[\d.-]+L/);
  });

  it('renders grouped bars, one rect per value, and embeds charts in an HTML report', async () => {
    const svg = await barChartSvg({
      title: 'latency per stage',
      categoryTitle: 'stage',
      valueTitle: 'ms',
      bars: [
        { category: 'retrieve', series: 'default', value: 12 },
        { category: 'rerank', series: 'default', value: 5 },
        { category: 'retrieve', series: 'bm25', value: 1 },
      ],
    });
    const { elements, texts } = parseSvg(svg);
    const rects = elements.filter((e) => e.name === 'g' && /mark-rect/.test(e.attribs?.class ?? ''));
    expect(rects.flatMap((g) => (g.children ?? []).filter((c) => c.name === 'path'))).toHaveLength(3);
    expect(texts).toEqual(expect.arrayContaining(['retrieve', 'rerank', 'default', 'bm25']));
    const html = htmlReport(
      'T <1>',
      ['intro'],
      [{ heading: 'H', charts: [svg], tables: [{ head: ['a', 'b'], rows: [['x', 0.5]] }] }],
    );
    expect(html).toContain('<title>T &#60;1&#62;</title>');
    expect(html).toContain('<svg');
    expect(html).toMatch(/<td class="n">0\.500<\/td>/);
  });
});
