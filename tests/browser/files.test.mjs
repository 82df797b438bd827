// Opening a reviewer's files (www/files.js): which file is the manifest, how asset
// paths map to the other files, drafts from other tools imported by the core (a Divina
// publication, OpenTimelineIO timelines, a folder of panels: real ones from
// ../shared/corpus/), and what a folder that holds no drama is said to be. Runs in Node (which has
// File and Blob) with the wasm core built for the page (www/pkg-nosimd), no browser.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dramaFromFiles, relativePath } from '../../www/files.js';
import { normalizePath } from '../../www/player/sources.js';

const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The core as the page loads it, from the build without SIMD (any machine runs it). */
async function loadCoreForNode() {
  const pkg = await import(path.join(ROOT_DIR, 'www', 'pkg-nosimd', 'manju.js'));
  await pkg.default({ module_or_path: await readFile(path.join(ROOT_DIR, 'www', 'pkg-nosimd', 'manju_bg.wasm')) });
  return { Session: pkg.Session, ZipArchive: pkg.ZipArchive, importDraft: pkg.importDraft };
}
const core = await loadCoreForNode();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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
  await assert.rejects(dramaFromFiles([file('a.txt')], { core }), /none of the 1 files is a \.json file/);
  await assert.rejects(dramaFromFiles([file('a.json', '{"format": "x"}')], { core }), /"format": "manju\/1"/);
});

test('a folder of numbered panels is imported: a shot each', async () => {
  const drama = await dramaFromFiles([file('ep/002.png', 'png'), file('ep/001.png', 'png'), file('ep/notes.json', '{}')], { core });
  const m = JSON.parse(drama.manifestText);
  assert.deepEqual(m.shots.map((s) => s.id), ['shot-1', 'shot-2']);
  assert.equal(m.assets[m.shots[0].layers[0].image], 'ep/001.png');
  assert.ok(drama.files.has('ep/001.png'));
});

/** A real folder as the page lists it: every file under `dir`, by its path from `dir`'s parent. */
async function folder(dir) {
  const found = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    found.push({ path: path.relative(path.dirname(dir), full).split(path.sep).join('/'), file: new File([await readFile(full)], entry.name) });
  }
  return found;
}

const CORPUS = path.join(ROOT, '..', 'shared', 'corpus');
const WHAT_TO_DO = /open the folder \(or \.zip\) that holds the drama's manifest\.json/i;

test('a Divina publication is imported: panel by panel with Guided Navigation, a page a shot without', async () => {
  const pepper = await dramaFromFiles(await folder(path.join(CORPUS, 'pepper-carrot-ep17')), { core });
  const m = JSON.parse(pepper.manifestText);
  assert.equal(m.title, 'Pepper and Carrot - A Fresh Start');
  assert.equal(m.shots.length, 30);
  assert.equal(m.assets[m.shots[1].lines[0].voice], 'pepper-carrot-ep17/audio/page1-panel2-bubble.mp3');
  assert.ok(pepper.files.has('pepper-carrot-ep17/audio/page1-panel2-bubble.mp3'), 'the assets are the opened files');
  assert.deepEqual(pepper.importProblems.map((p) => p.path), ['pepper-carrot-ep17/guided.json: guided']);
  assert.match(pepper.mapped[0], /29 panels → 29 shots/);
  const turbo = await dramaFromFiles(await folder(path.join(CORPUS, 'divina-turbomedia1')), { core });
  assert.equal(JSON.parse(turbo.manifestText).shots.length, 23);
  assert.ok(turbo.importProblems.some((p) => /readingOrder\[2\]\.href/.test(p.path) && /only images play here/.test(p.message)));
  // A Divina whose guided navigation is broken says where, instead of playing wrongly.
  const broken = (await folder(path.join(CORPUS, 'pepper-carrot-ep17'))).map((f) => (f.path.endsWith('guided.json') ? file(f.path, '{"guided": [') : f));
  await assert.rejects(dramaFromFiles(broken, { core }), /Could not import it: pepper-carrot-ep17\/guided\.json: not JSON.*\(line 1, column 12\)/);
});

test('an OpenTimelineIO folder or file is imported: the clips of its first video track as shots', async () => {
  const files = await folder(path.join(CORPUS, 'otio'));
  assert.ok(files.filter((f) => f.path.endsWith('.otio')).length >= 5);
  const drama = await dramaFromFiles(files, { core });
  assert.equal(drama.kind, 'otio');
  assert.ok(JSON.parse(drama.manifestText).shots.length > 0);
  // An .otio renamed .json is read as what it is.
  const text = await readFile(path.join(CORPUS, 'otio', 'multitrack.otio'), 'utf8');
  const renamed = await dramaFromFiles([file('edit/cut.json', text)], { core });
  assert.equal(JSON.parse(renamed.manifestText).shots.length, 6);
  assert.ok(renamed.importProblems.some((p) => /3 video tracks: only the first/.test(p.message)));
});

test('a folder with no manifest, or nothing in it, says so and what to do', async () => {
  await assert.rejects(dramaFromFiles([file('shots/a.txt'), file('shots/b.mp3')], { core }), (err) => {
    assert.match(err.message, /^No manifest: none of the 2 files is a \.json file\. Open the folder/);
    assert.match(err.message, WHAT_TO_DO);
    return true;
  });
  await assert.rejects(dramaFromFiles([], { core }), /: No manifest: nothing was opened\. Open the folder/);
  await assert.rejects(dramaFromFiles([file('x/notes.json', '{"a": 1}'), file('x/meta.json', '[]')], { core }),
    /: No manifest: none of the 2 \.json files \("x\/notes\.json", "x\/meta\.json"\) has "format": "manju\/1"\. Open the folder/);
  // A manifest of another format version is named, not taken for any JSON file.
  await assert.rejects(dramaFromFiles([file('d/manifest.json', '{"format": "manju/2"}')], { core }), /declares "format": "manju\/2", which this player does not read/);
});

test('paths normalize the way manifests write them', () => {
  assert.equal(normalizePath('./img/../img//a.png'), 'img/a.png');
  assert.equal(normalizePath('img\\a.png'), 'img/a.png');
  assert.equal(normalizePath('../shared/a.png'), '../shared/a.png');
  assert.equal(relativePath('', 'img/a.png'), 'img/a.png');
  assert.equal(relativePath('a/b', 'a/c/d.png'), '../c/d.png');
  assert.equal(relativePath('a', 'a/b.png'), 'b.png');
});

test('a link to a Divina manifest alone says how to bring it in', async () => {
  const { recognizeJson } = await import('../../www/player/recognize.js');
  const parsed = JSON.parse(await readFile(path.join(CORPUS, 'pepper-carrot-ep17', 'manifest.json'), 'utf8'));
  const said = recognizeJson('https://example.com/comic/manifest.json', parsed);
  assert.match(said, /is a Divina publication/);
  assert.match(said, /imports one opened as a folder or a \.zip, with its pages, guided\.json and clips/);
});
