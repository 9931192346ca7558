import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { DeqirError, type DeqirErrorCode } from '../errors.js';
import { INPUT_FILE_MAX_BYTES, type InputFileKind } from '../bounds.js';

/** The error code and the words for each kind of input file. */
const KINDS: Record<InputFileKind, { code: DeqirErrorCode; label: string }> = {
  problem: { code: 'problem-file', label: '' },
  png: { code: 'image-file', label: '' },
  model: { code: 'model-file', label: 'model file ' },
  classifier: { code: 'model-file', label: 'classifier file ' },
  dataset: { code: 'dataset', label: 'dataset file ' },
};

/**
 * The one way Node code reads an input file: it must be a regular file (a FIFO would block
 * forever, a device such as /dev/zero never ends, a directory is not data) of at most
 * INPUT_FILE_MAX_BYTES[kind] bytes, checked before reading, and it must not grow while read.
 * Errors are typed for the kind (ProblemFile / image-file / model-file) and name the path.
 */
export async function readInputFile(path: string, kind: InputFileKind, maxBytes: number = INPUT_FILE_MAX_BYTES[kind]): Promise<Uint8Array> {
  const { code, label } = KINDS[kind];
  const fail = (why: string): never => {
    throw new DeqirError(code, `cannot read ${label}${path}: ${why}`);
  };
  if (path === '') fail('the path is empty');
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  checkStat(st, maxBytes, fail);
  // O_NONBLOCK: should the path have become a FIFO since stat, open does not wait for a writer.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
  try {
    const st2 = await fh.stat();
    checkStat(st2, maxBytes, fail);
    const bytes = new Uint8Array(st2.size);
    let got = 0;
    while (got < bytes.length) {
      const { bytesRead } = await fh.read(bytes, got, bytes.length - got, got);
      if (bytesRead === 0) fail(`the file shrank while being read (${got} of ${bytes.length} bytes)`);
      got += bytesRead;
    }
    const { bytesRead: extra } = await fh.read(new Uint8Array(1), 0, 1, got);
    if (extra > 0) fail('the file grew while being read');
    return bytes;
  } finally {
    await fh.close();
  }
}

function checkStat(
  st: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; size: number },
  maxBytes: number,
  fail: (why: string) => never,
): void {
  if (st.isDirectory()) fail('it is a directory, not a file');
  if (st.isFIFO()) fail('it is a FIFO (named pipe), not a regular file');
  if (!st.isFile()) fail('it is not a regular file (a device or socket)');
  if (st.size > maxBytes) fail(`it has ${st.size} bytes, over the limit of ${maxBytes} bytes for this kind of file`);
}

/** readInputFile for synchronous callers (dataset loaders): the same checks, the same errors. */
export function readInputFileSync(path: string, kind: InputFileKind, maxBytes: number = INPUT_FILE_MAX_BYTES[kind]): Uint8Array {
  const { code, label } = KINDS[kind];
  const fail = (why: string): never => {
    throw new DeqirError(code, `cannot read ${label}${path}: ${why}`);
  };
  if (path === '') fail('the path is empty');
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  checkStat(st, maxBytes, fail);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  try {
    const st2 = fstatSync(fd);
    checkStat(st2, maxBytes, fail);
    const bytes = new Uint8Array(st2.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, got);
      if (n === 0) fail(`the file shrank while being read (${got} of ${bytes.length} bytes)`);
      got += n;
    }
    if (readSync(fd, new Uint8Array(1), 0, 1, got) > 0) fail('the file grew while being read');
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** readInputFile as UTF-8 text (invalid UTF-8 is refused, not replaced). */
export async function readInputText(path: string, kind: InputFileKind): Promise<string> {
  const bytes = await readInputFile(path, kind);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DeqirError(KINDS[kind].code, `${path} is not UTF-8 text`);
  }
}
