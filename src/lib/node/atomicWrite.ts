import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputPathError, WriteError } from '../errors.js';

/**
 * The one way Node code writes a result: checkOutputPath before computing, writeFileAtomic after.
 * A result is written to a temporary file beside its target, flushed, then renamed over it, so a
 * full disk or an I/O error leaves any earlier file at that path untouched and no partial file.
 */

/**
 * Refuses, before any computing, an output path that cannot be written: empty, a directory, not
 * a regular file (a FIFO, a device), not writable, or in a folder that is missing, is not a
 * folder, or where no file can be created (probed by creating and removing a file there).
 */
export async function checkOutputPath(path: string, what = 'output'): Promise<void> {
  if (path.trim() === '') throw new OutputPathError(`the ${what} path is empty`);
  const full = resolve(path);
  const dir = dirname(full);
  const dst = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    throw new OutputPathError(
      `cannot write ${what} ${path}: its folder ${dir} ${e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code})`}`,
    );
  });
  if (!dst.isDirectory()) throw new OutputPathError(`cannot write ${what} ${path}: ${dir} is not a folder`);
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputPathError(`cannot write ${what} ${path}: it is a directory; give a file name`);
  if (existing && !existing.isFile())
    throw new OutputPathError(`cannot write ${what} ${path}: it exists and is not a regular file (a FIFO, device or socket)`);
  if (existing)
    await access(full, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
      throw new OutputPathError(`cannot write ${what} ${path}: the existing file is not writable (${e.code})`);
    });
  const probe = tempPath(full, 'probe');
  const fh = await open(probe, 'wx').catch((e: NodeJS.ErrnoException) => {
    throw new OutputPathError(`cannot write ${what} ${path}: no file can be created in ${dir} (${e.code})`);
  });
  await fh.close();
  await unlink(probe).catch(() => {});
}

export interface AtomicWriteOptions {
  /** Writes the bytes to the open temporary file (fault injection in tests); default FileHandle.writeFile. */
  write?: (fh: FileHandle, data: Uint8Array) => Promise<void>;
}

/** Writes `data` to `path` through a temporary file and a rename; on failure removes the temporary file and throws WriteError. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const full = resolve(path);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const tmp = tempPath(full, 'tmp');
  const existed = await stat(full).then(
    () => true,
    () => false,
  );
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', 0o644);
    await (opts.write ?? ((h, d) => h.writeFile(d)))(fh, bytes);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, full);
  } catch (e) {
    await fh?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    const err = e as NodeJS.ErrnoException;
    throw new WriteError(
      `could not write ${path}: ${err.code ?? err.message}; ${existed ? 'the existing file is untouched' : 'nothing was written'}`,
    );
  }
}

function tempPath(full: string, tag: string): string {
  return join(dirname(full), `.${basename(full)}.${process.pid}.${randomBytes(4).toString('hex')}.${tag}`);
}
