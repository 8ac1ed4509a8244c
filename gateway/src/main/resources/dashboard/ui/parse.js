// Pure functions from API responses to what the views draw; no DOM, no fetch. The integration
// test runs them in the browser against the documented response shapes.

const seconds = (iso) => Date.parse(iso) / 1000;

/**
 * The series of a /api/v1/series answer, whatever its shape: one point (raw or bucketed) or
 * several ({series:[…]}). Text values (vs) are left out: they cannot be drawn.
 * @returns {{point:string, unit:string, truncated:boolean, t:number[], v:number[]}[]}
 */
export function parseSeries(json) {
  const list = Array.isArray(json.series) ? json.series : [json];
  return list.map((s) => {
    const t = [];
    const v = [];
    for (const item of s.values || []) {
      if (typeof item.v !== 'number') continue;
      t.push(seconds(item.t));
      v.push(item.v);
    }
    return { point: s.point, unit: s.unit, truncated: Boolean(s.truncated), t, v };
  });
}

/**
 * uPlot's columnar data from several series: the sorted union of their times, then one column
 * per series with null where it has no value at a time.
 */
export function alignSeries(series) {
  const times = [...new Set(series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const index = new Map(times.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const column = new Array(times.length).fill(null);
    s.t.forEach((x, i) => { column[index.get(x)] = s.v[i]; });
    return column;
  });
  return [times, ...columns];
}

/** The current values of /api/v1/sites/{site}/latest, keyed by point key. */
export function parseLatest(json) {
  const byPoint = new Map();
  for (const p of json.points || []) byPoint.set(p.point, { unit: p.unit, category: p.category, t: p.t, v: p.v });
  return byPoint;
}

/**
 * /api/v1/energy/consumption: one row per site (name, unit, total) and the chart data, one
 * column per site over the union of the buckets.
 */
export function parseConsumption(json) {
  const sites = (json.sites || []).map((s) => ({
    site: s.site, name: s.name || s.site, unit: s.unit, total: s.total,
    t: (s.values || []).map((x) => seconds(x.t)), v: (s.values || []).map((x) => x.v),
  }));
  return { category: json.category, bucket: json.bucket, rows: sites, data: alignSeries(sites) };
}

/**
 * /api/v1/energy/heating: per site, the period's consumption, degree-days and consumption per
 * degree-day (summed over the buckets; null when there were no degree-days).
 */
export function parseHeating(json) {
  const rows = (json.sites || []).map((s) => {
    let consumption = 0;
    let dju = 0;
    for (const x of s.values || []) {
      consumption += x.consumption ?? 0;
      dju += x.dju ?? 0;
    }
    return { site: s.site, name: s.name || s.site, unit: s.unit, consumption, dju, perDju: dju > 0 ? consumption / dju : null };
  });
  return { base: json.base, bucket: json.bucket, rows };
}

/**
 * A Server-Sent Events parser (HTML Living Standard, "Parsing an event stream") fed with text
 * chunks as they arrive; calls onEvent({id, event, data}) for each dispatched event.
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.data = [];
    this.event = '';
    this.lastEventId = '';
  }

  push(chunk) {
    this.buffer += chunk;
    // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
    const lines = this.buffer.split(/\r\n|\n|\r(?!$)/);
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
  }
}
