// The version's live stream (GET /api/v1/versions/{v}/events), read with fetch because
// EventSource cannot send the Authorization header the API needs. It resumes where it
// left off with Last-Event-ID, reconnects with backoff (at once when the browser says it
// is online again), and stops for good when the token is refused.

const RETRY_MS = [500, 1000, 2000, 4000, 8000, 15000];

export class LiveStream {
  #url;
  #headers;
  #on;
  #controller = null;
  #stopped = false;
  #tries = 0;
  #timer = 0;
  /** the number of the last event read: where a reconnection resumes */
  lastId = null;
  /** true while the stream is open */
  connected = false;
  #resumed = false;
  #opens = 0;

  /**
   * @param on.event ({event, data, id}) → called for every event (data parsed as JSON)
   * @param on.open ({first, resumed}) → the stream is open (`ready` arrived): a good moment to
   *   send what waits. `resumed`: it asked for what it missed (Last-Event-ID); a reconnection
   *   that could not (no event read yet) must reload what it shows instead.
   * @param on.down () → the stream was cut (the server or the network went away)
   * @param on.fatal (status, message) → the server refused the token: no more tries
   */
  constructor(url, headers, on) {
    this.#url = url;
    this.#headers = headers;
    this.#on = on;
    this.online = () => this.retryNow();
    addEventListener('online', this.online);
  }

  start() {
    this.#stopped = false;
    this.#connect();
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#controller?.abort();
    removeEventListener('online', this.online);
  }

  /** Reconnects now instead of waiting out the backoff (no-op while connected). */
  retryNow() {
    if (this.#stopped || this.connected || this.#controller) return;
    clearTimeout(this.#timer);
    this.#tries = 0;
    this.#connect();
  }

  async #connect() {
    if (this.#controller) return;
    const controller = new AbortController();
    this.#controller = controller;
    const headers = { ...this.#headers, accept: 'text/event-stream' };
    if (this.lastId !== null) headers['last-event-id'] = String(this.lastId);
    this.#resumed = this.lastId !== null;
    try {
      const response = await fetch(this.#url, { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403 || response.status === 404) {
        const text = await response.text().catch(() => '');
        this.#controller = null;
        this.#stopped = true;
        this.#on.fatal?.(response.status, messageOf(text));
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await this.#read(response.body);
    } catch {
      // Cut off, or never reached: try again below.
    }
    this.#controller = null;
    const was = this.connected;
    this.connected = false;
    if (was) this.#on.down?.();
    if (this.#stopped) return;
    const wait = RETRY_MS[Math.min(this.#tries++, RETRY_MS.length - 1)];
    this.#timer = setTimeout(() => this.#connect(), wait);
  }

  async #read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.#dispatch(block);
      }
    }
  }

  #dispatch(block) {
    let event = 'message';
    let id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (id !== null && id !== '') this.lastId = id;
    if (event === 'ready') {
      this.connected = true;
      this.#tries = 0;
      this.#on.open?.({ first: this.#opens++ === 0, resumed: this.#resumed });
      return;
    }
    if (data.length === 0) return;
    let parsed = null;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    this.#on.event({ event, data: parsed, id });
  }
}

function messageOf(text) {
  try {
    return JSON.parse(text).error.message;
  } catch {
    return text;
  }
}
