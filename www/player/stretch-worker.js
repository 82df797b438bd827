// Stretches sounds off the main thread (see ./stretch.js): a message
// {id, channels, sampleRate, rate} is answered with {id, channels}, arrays transferred.

import { stretch } from './stretch.js';

self.addEventListener('message', (e) => {
  const { id, channels, sampleRate, rate } = e.data;
  const out = stretch(channels, sampleRate, rate);
  self.postMessage({ id, channels: out }, out.map((c) => c.buffer));
});
