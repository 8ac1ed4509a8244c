// Time-series charts with uPlot (MIT, shipped in this jar under vendor/), in the UI's language and
// the site's time zone, over the range asked for, with y-ranges that do not magnify noise, on/off
// signals as steps on 0–1, alert markers and threshold lines, and a text alternative.
import uPlot from './vendor/uplot-1.6.32/uPlot.esm.js';
import { t, locale, formatNumber, formatTime, unitLabel } from './i18n.js';

const COLOURS = ['#1f5fbf', '#d35400', '#2e7d32', '#8e24aa', '#b3001b', '#00838f', '#6d4c41', '#546e7a'];
const charts = new Set();

/**
 * The smallest span the y axis shows for a unit: a pressure wobbling by 0.006 bar stays a flat
 * line on a 1-bar axis instead of looking like a storm.
 */
const MIN_SPAN = { Cel: 10, K: 10, bar: 1, mbar: 100, Pa: 50, hPa: 5, '%RH': 20, ppm: 200, W: 200, kW: 5, 'm3/h': 0.5 };

/** The y range of values from {@code min} to {@code max} in {@code unit}: at least the unit's span, a little padding. */
export function yRange(min, max, unit, zero = false) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const floor = MIN_SPAN[unit] ?? Math.max(Math.abs(max), Math.abs(min)) * 0.1;
  let lo = min;
  let hi = max;
  const span = hi - lo;
  if (span < (floor || 1)) {
    const mid = (hi + lo) / 2;
    lo = mid - (floor || 1) / 2;
    hi = mid + (floor || 1) / 2;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  // Counters and indexes never go below zero: no axis under 0 for values all above it.
  if (min >= 0 && (lo < 0 || zero)) {
    if (lo < 0) hi -= lo;
    lo = 0;
  }
  return [lo, hi];
}

/** Time labels of an axis in the UI's language and {@code timeZone}: days for long steps, hours else. */
export function timeLabels(splits, incrSeconds, timeZone) {
  const day = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone });
  const hour = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZone });
  let lastDay = '';
  return splits.map((s) => {
    const d = new Date(s * 1000);
    if (incrSeconds >= 86400) return day.format(d);
    const today = day.format(d);
    const label = hour.format(d);
    if (today !== lastDay) {
      lastDay = today;
      return `${label}\n${today}`;
    }
    return label;
  });
}

/** The sentence that stands for the chart for those who cannot see it. */
export function describe(title, data, timeZone, unit) {
  const values = data.slice(1).flat().filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return t('chart.altEmpty', title);
  const times = data[0];
  return t('chart.alt', title, values.length, formatTime(times[0] * 1000, timeZone), formatTime(times[times.length - 1] * 1000, timeZone),
    `${formatNumber(Math.min(...values))} ${unitLabel(unit)}`.trim(), `${formatNumber(Math.max(...values))} ${unitLabel(unit)}`.trim());
}

/**
 * Draws {@code data} (uPlot columns: times in seconds, then one column per series) into
 * {@code container}. Options: labels, unit, timeZone, from and to (seconds: the x range asked
 * for), binary (on/off: steps on 0–1), bars, markers ([{t, colour}]: vertical lines),
 * thresholds ([value]: dashed lines), title (for the text alternative), zero (a y axis from 0,
 * for consumption). The container gets
 * data-drawn once the canvas is painted and data-values with the number of values drawn;
 * resolves then.
 */
export function drawChart(container, { labels, unit, data, timeZone, from, to, binary = false, bars = false,
  markers = [], thresholds = [], title = '', zero = false }) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', describe(title || labels.join(', '), data, timeZone, binary ? '' : unit));
  return new Promise((resolve) => {
    const width = Math.max(260, container.clientWidth || 600);
    const number = (v) => (v === null || v === undefined ? '–' : binary ? (v >= 0.5 ? t('chart.on') : t('chart.off'))
      : `${formatNumber(v)} ${unitLabel(unit)}`.trim());
    const options = {
      width, height: 220,
      tzDate: timeZone ? (ts) => uPlot.tzDate(new Date(ts * 1e3), timeZone) : undefined,
      scales: {
        x: { time: true, range: from !== undefined && to !== undefined ? () => [from, to] : undefined },
        y: { range: binary ? () => [-0.1, 1.1] : (u, min, max) => yRange(
          Math.min(min, ...thresholds), Math.max(max, ...thresholds), unit, zero) },
      },
      axes: [
        { values: (u, splits, axis, space, incr) => timeLabels(splits, incr, timeZone) },
        {
          label: binary ? t('unit.onoff') : unitLabel(unit), size: 64,
          splits: binary ? () => [0, 1] : undefined,
          values: (u, splits) => splits.map((v) => (binary ? (v >= 0.5 ? t('chart.on') : t('chart.off')) : formatNumber(v))),
        },
      ],
      series: [{ label: t('chart.time'), value: (u, v) => (v === null ? '–' : formatTime(v * 1000, timeZone)) },
        ...labels.map((label, i) => ({
          label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false, value: (u, v) => number(v),
          fill: bars ? COLOURS[i % COLOURS.length] + '55' : undefined,
          paths: bars ? uPlot.paths.bars({ size: [0.8, 40] }) : binary ? uPlot.paths.stepped({ align: 1 }) : undefined,
          points: { show: data[0].length < 3 },
        }))],
      hooks: {
        draw: [(u) => {
          const { ctx, bbox } = u;
          ctx.save();
          for (const m of markers) {
            const x = Math.round(u.valToPos(m.t, 'x', true));
            if (x < bbox.left || x > bbox.left + bbox.width) continue;
            ctx.strokeStyle = m.colour || '#b3001b';
            ctx.lineWidth = 2;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
          }
          ctx.setLineDash([6, 4]);
          for (const value of thresholds) {
            const y = Math.round(u.valToPos(value, 'y', true));
            ctx.strokeStyle = '#b3001b';
            ctx.lineWidth = 1.5;
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
          }
          ctx.restore();
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
