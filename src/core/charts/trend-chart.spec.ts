import { describe, expect, it } from 'vitest';
import { renderTrendSvg, type TrendPoint } from './trend-chart.js';

const points = (values: Array<number | null>, extra: Partial<TrendPoint> = {}): TrendPoint[] =>
  values.map((value, index) => ({ bucket: `2026-0${index + 1}-01`, value, responses: value === null ? 0 : 120, ...extra }));

describe('renderTrendSvg', () => {
  it('draws one point per bucket with a value, a line through runs, and a band where points carry one', () => {
    const svg = renderTrendSvg({
      title: 'NPS per month',
      unit: 'NPS',
      domain: [-100, 100],
      points: points([10, 20, 30]).map((point) => ({ ...point, low: point.value! - 5, high: point.value! + 5 })),
    });
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg.match(/<polygon /g)).toHaveLength(1);
    expect(svg).toContain('<title id="t">NPS per month</title>');
    expect(svg).toContain('latest 30 (2026-03-01), 3 of 3 periods with answers, 360 answers in all.');
  });

  it.each([
    ['a gap splits the line', [10, null, 30, 40], 2, 1],
    ['a single point draws no line', [null, 15, null], 1, 0],
    ['no answers at all', [null, null], 0, 0],
  ] as const)('%s', (_name, values, circles, lines) => {
    const svg = renderTrendSvg({ title: 'CSAT', unit: 'CSAT %', domain: [0, 100], points: points([...values]) });
    expect(svg.match(/<circle /g)?.length ?? 0).toBe(values.filter((value) => value !== null).length);
    expect(svg.match(/<polyline /g)?.length ?? 0).toBe(lines);
    if (circles === 0) expect(svg).toContain('No answers in this period');
  });

  it('shows the band of a lone point as an error bar', () => {
    const svg = renderTrendSvg({
      title: 'NPS',
      unit: 'NPS',
      domain: [-100, 100],
      points: [
        { bucket: '2026-01-01', value: 20, low: 10, high: 30 },
        { bucket: '2026-02-01', value: null },
      ],
    });
    expect(svg).toMatch(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="#1f5fbf" stroke-opacity="0.4"/);
    expect(svg).not.toContain('<polygon');
  });

  it('keeps values inside the scale and escapes text', () => {
    const svg = renderTrendSvg({ title: 'Fiets & <Co>', unit: 'CES mean', domain: [1, 7], points: [{ bucket: '2026-01-01', value: 9 }] });
    expect(svg).toContain('Fiets &amp; &lt;Co&gt;');
    const cy = Number(/<circle cx="[\d.]+" cy="([\d.]+)"/.exec(svg)![1]);
    expect(cy).toBe(60);
  });

  it('marks low samples hollow and says what hollow means', () => {
    const svg = renderTrendSvg({ title: 'NPS', unit: 'NPS', domain: [-100, 100], points: points([5, 6], { lowSample: true }) });
    expect(svg).toContain('fill="#ffffff" stroke=');
    expect(svg).toContain('Hollow points');
  });

  it('refuses a colour that is not #rrggbb', () => {
    expect(renderTrendSvg({ title: 'x', unit: 'NPS', domain: [0, 1], points: [], color: 'red" onload="x' })).not.toContain('onload');
  });
});
