// The live alert feed. EventSource cannot send an Authorization header, so the stream is read
// with fetch() and a stream reader; after a drop it reconnects with Last-Event-ID and the
// server replays the transitions missed meanwhile.
import { headers } from './api.js';
import { SseParser } from './parse.js';

const MAX_BACKOFF_MS = 30000;

export class AlertStream {
  /**
   * @param onAlert called with the alert JSON (with its transition) of each event
   * @param onStatus called with true when connected, false while reconnecting
   * @param onUnauthorized called once when the server refuses the token (the stream stops)
   */
  constructor({ onAlert, onStatus, onUnauthorized }) {
    this.onAlert = onAlert;
    this.onStatus = onStatus;
    this.onUnauthorized = onUnauthorized;
    this.lastEventId = null;
    this.controller = null;
    this.stopped = false;
  }

  /** Starts reading, resuming after {@code lastEventId} when given. */
  start(lastEventId = null) {
    this.lastEventId = lastEventId;
    this.loop();
    return this;
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
  }

  async loop() {
    let backoff = 1000;
    while (!this.stopped) {
      this.controller = new AbortController();
      try {
        const extra = { Accept: 'text/event-stream' };
        if (this.lastEventId) extra['Last-Event-ID'] = this.lastEventId;
        const response = await fetch('/api/v1/alerts/stream',
          { headers: headers(undefined, extra), cache: 'no-store', credentials: 'omit', signal: this.controller.signal });
        if (response.status === 401) {
          this.stopped = true;
          this.onUnauthorized();
          return;
        }
        if (response.status === 400 && this.lastEventId) {
          this.lastEventId = null; // an id the server no longer accepts: start afresh
          continue;
        }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const parser = new SseParser((event) => {
          if (event.id) this.lastEventId = event.id;
          if (event.event === 'alert') this.onAlert(JSON.parse(event.data));
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let connected = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          // The server writes a comment as soon as it has subscribed: from then on nothing is missed.
          if (!connected) {
            connected = true;
            backoff = 1000;
            this.onStatus(true);
          }
          parser.push(value);
        }
      } catch (e) {
        if (this.stopped) return;
      }
      if (this.stopped) return;
      this.onStatus(false);
      await new Promise((resolve) => setTimeout(resolve, backoff + Math.random() * 500));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}
