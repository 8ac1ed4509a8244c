// Time-series charts with uPlot (MIT, shipped in this jar under vendor/).
import uPlot from './vendor/uplot-1.6.32/uPlot.esm.js';

const COLOURS = ['#1f5fbf', '#d35400', '#2e7d32', '#8e24aa', '#b3001b', '#00838f', '#6d4c41', '#546e7a'];
const charts = new Set();

/**
 * Draws {@code data} (uPlot columns: times in seconds, then one column per series) into
 * {@code container}, with times shown in {@code timeZone}. The container gets data-drawn once the
 * canvas is painted and data-values with the number of values drawn; resolves then.
 */
export function drawChart(container, { labels, unit, data, timeZone, bars = false }) {
  return new Promise((resolve) => {
    const width = Math.max(300, container.clientWidth || 600);
    const options = {
      width, height: 220,
      tzDate: timeZone ? (ts) => uPlot.tzDate(new Date(ts * 1e3), timeZone) : undefined,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 60 }],
      series: [{}, ...labels.map((label, i) => ({
        label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false,
        fill: bars ? COLOURS[i % COLOURS.length] + '55' : undefined,
        paths: bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined,
      }))],
      hooks: {
        draw: [() => {
          container.dataset.drawn = 'true';
          container.dataset.values = String(data.slice(1).reduce((n, col) => n + col.filter((v) => v !== null).length, 0));
          resolve();
        }],
      },
    };
    const plot = new uPlot(options, data, container);
    charts.add(plot);
    container.plot = plot;
  });
}

/** Forgets the charts of the previous view. */
export function destroyCharts() {
  for (const plot of charts) plot.destroy();
  charts.clear();
}
