// Opening a reviewer's files (www/files.js): which file is the manifest, and how asset
// paths map to the other files. Pure logic: runs in Node (which has File and Blob), no
// browser needed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dramaFromFiles, relativePath } from '../../www/files.js';
import { normalizePath } from '../../www/player/sources.js';

const file = (path, text = '') => ({ path, file: new File([text], path.split('/').pop()) });
const manifest = (extra = {}) => JSON.stringify({ format: 'manju/1', ...extra });

test('the manifest is the .json whose format is manju/1, wherever it sits', async () => {
  const drama = await dramaFromFiles([
    file('ep1/assets/meta.json', '{"format": "other/1"}'),
    file('ep1/drama/episode.json', manifest({ title: 'one' })),
    file('ep1/drama/img/a.png', 'png'),
    file('ep1/audio/v1.mp3', 'mp3'),
  ]);
  assert.equal(JSON.parse(drama.manifestText).title, 'one');
  assert.equal(drama.name, 'ep1/drama/episode.json');
  assert.deepEqual([...drama.files.keys()].sort(), [
    '../assets/meta.json',
    '../audio/v1.mp3',
    'episode.json',
    'img/a.png',
  ]);
});

test('with several manifests the shallowest wins, then manifest.json', async () => {
  const drama = await dramaFromFiles([
    file('root/extras/manifest.json', manifest({ title: 'deep' })),
    file('root/b.json', manifest({ title: 'b' })),
    file('root/manifest.json', manifest({ title: 'top' })),
  ]);
  assert.equal(JSON.parse(drama.manifestText).title, 'top');
});

test('a manifest with a syntax error is still opened, so the player can say where', async () => {
  const drama = await dramaFromFiles([file('d/manifest.json', '{ "format": "manju/1", }'), file('d/x.png')]);
  assert.equal(drama.name, 'd/manifest.json');
});

test('no manifest among the files is an error that says why', async () => {
  await assert.rejects(dramaFromFiles([file('a.png')]), /none of the 1 files is a \.json file/);
  await assert.rejects(dramaFromFiles([file('a.json', '{"format": "x"}')]), /"format": "manju\/1"/);
});

test('paths normalize the way manifests write them', () => {
  assert.equal(normalizePath('./img/../img//a.png'), 'img/a.png');
  assert.equal(normalizePath('img\\a.png'), 'img/a.png');
  assert.equal(normalizePath('../shared/a.png'), '../shared/a.png');
  assert.equal(relativePath('', 'img/a.png'), 'img/a.png');
  assert.equal(relativePath('a/b', 'a/c/d.png'), '../c/d.png');
  assert.equal(relativePath('a', 'a/b.png'), 'b.png');
});
