/**
 * A findings input on this machine: one file, or a folder (read recursively, in name order) of a
 * downloaded Inspector2 findings report or of archived EventBridge events. Files are streamed.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SourceError } from '../../../domain/errors.js';
import { FindingsInputSource, isInputName, type FindingsObject } from '../aws-shapes/findings-input.js';

const EXPECTED = '.json, .json.gz, .jsonl, .csv or .csv.gz files of an Inspector2 findings report or archived "Inspector2 Finding" events';

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile() && isInputName(e.name)) yield path;
  }
}

function fileObject(path: string): FindingsObject {
  return {
    name: path,
    open: () => Promise.resolve(createReadStream(path)),
  };
}

/**
 * The file at `path`, or the input files under the folder at `path`.
 * @throws SourceError when the path does not exist, or the folder holds no input file.
 */
export async function* localFindingsObjects(path: string): AsyncGenerator<FindingsObject> {
  const full = resolve(path);
  let info;
  try {
    info = await stat(full);
  } catch (e) {
    throw new SourceError('findings', null, `${full}: no such file or folder`, { code: 'SOURCE_MISSING', cause: e });
  }
  if (info.isFile()) {
    yield fileObject(full);
    return;
  }
  let found = 0;
  for await (const file of walk(full)) {
    found++;
    yield fileObject(file);
  }
  if (found === 0) throw new SourceError('findings', null, `${full}: no ${EXPECTED} in this folder`, { code: 'SOURCE_MISSING' });
}

/** Findings from a local file or folder (see FindingsInputSource). */
export function localFindingsSource(path: string): FindingsInputSource {
  return new FindingsInputSource(() => localFindingsObjects(path), 'findings');
}
