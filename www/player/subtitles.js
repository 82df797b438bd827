// Subtitle files into a drama: the core reads SRT, WebVTT and ASS/SSA cues and merges them
// into the manifest as lines at their times (the shots stay where they are; voice clips
// the session has decoded time its `auto` shots). The page applies the result with
// `reload`, keeping the version before for undo.

import { plain } from './loader.js';

/** Extensions of the subtitle files the core reads (it tells the format by the content). */
export const SUBTITLE_EXTENSIONS = ['.srt', '.vtt', '.ass', '.ssa'];

/** Whether `name` looks like a subtitle file. */
export function isSubtitleFile(name) {
  const lower = String(name).toLowerCase();
  return SUBTITLE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * Merges the cues of `file` (a Blob/File, ArrayBuffer or Uint8Array) into `manifestText`
 * through `session`: `{manifest, cues, problems}`. Throws an Error whose message names
 * the file and the line when nothing can be imported.
 */
export async function importSubtitleFile(session, file, name, manifestText) {
  let bytes;
  if (file instanceof Blob) bytes = new Uint8Array(await file.arrayBuffer());
  else if (file instanceof ArrayBuffer) bytes = new Uint8Array(file);
  else if (ArrayBuffer.isView(file)) bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  else throw new TypeError('importSubtitles takes a Blob, File, ArrayBuffer or Uint8Array');
  try {
    return plain(session.importSubtitles(bytes, String(name), manifestText));
  } catch (err) {
    // wasm-bindgen hands a JsError over as an Error; anything else is said as it is.
    throw err instanceof Error ? err : new Error(String(err));
  }
}
