/**
 * @module eval/charts
 * Charts as SVG text, rendered headless in Node by Vega (vega-lite specs compiled to Vega, then
 * `View.toSVG()`): no browser, no canvas, no native code. Two shapes cover the reports: lines
 * (a measure against a numeric axis, one line per series) and grouped bars.
 */

import type { TopLevelSpec } from 'vega-lite';

export interface Point {
  x: number;
  y: number;
  series: string;
}

export interface LineChart {
  title: string;
  xTitle: string;
  yTitle: string;
  points: readonly Point[];
  /** Logarithmic x axis (haystack sizes, funnel widths). */
  xLog?: boolean;
  /** Fixed y range, e.g. [0, 1] for recall. */
  yDomain?: [number, number];
  /** Dashed series (baselines). */
  dashed?: readonly string[];
}

export interface Bar {
  category: string;
  value: number;
  series: string;
}

export interface BarChart {
  title: string;
  categoryTitle: string;
  valueTitle: string;
  bars: readonly Bar[];
  yDomain?: [number, number];
}

const WIDTH = 520;
const HEIGHT = 300;

/**
 * Renders a Vega-Lite spec to SVG text. Vega and Vega-Lite are loaded on the first chart: every
 * `funnel` command imports this module, and loading them cost a third of a second at each start.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega-Lite spec of a line chart with points (one color per series). */
export function lineSpec(c: LineChart): TopLevelSpec {
  const dashed = c.dashed ?? [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values: c.points.map((p) => ({ ...p, dashed: dashed.includes(p.series) })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: c.xTitle,
        scale: c.xLog ? { type: 'log' } : { zero: false },
        axis: c.xLog ? { format: '~s' } : {},
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: c.yTitle,
        ...(c.yDomain ? { scale: { domain: c.yDomain } } : {}),
      },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } },
      strokeDash: {
        field: 'dashed',
        type: 'nominal',
        legend: null,
        scale: {
          domain: [false, true],
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
    },
  };
}

/** The Vega-Lite spec of a grouped bar chart (one bar per series within each category). */
export function barSpec(c: BarChart): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: c.title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values: c.bars.map((b) => ({ ...b })) },
    mark: 'bar',
    encoding: {
      x: { field: 'category', type: 'nominal', title: c.categoryTitle, sort: null },
      xOffset: { field: 'series', type: 'nominal', sort: null },
      y: {
        field: 'value',
        type: 'quantitative',
        title: c.valueTitle,
        ...(c.yDomain ? { scale: { domain: c.yDomain } } : {}),
      },
      color: { field: 'series', type: 'nominal', title: null, sort: null, legend: { labelLimit: 400 } },
      tooltip: [{ field: 'series' }, { field: 'category' }, { field: 'value', format: '.3f' }],
    },
  };
}

export const lineChartSvg = (c: LineChart): Promise<string> => renderSvg(lineSpec(c));
export const barChartSvg = (c: BarChart): Promise<string> => renderSvg(barSpec(c));
