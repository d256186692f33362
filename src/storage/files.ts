/**
 * The data folder and the files in it (the SQLite database, its WAL and shared-memory files, the Direct Line signing
 * key) are for the server's own account only: what residents typed and the key that signs their tokens must not be
 * readable by other accounts on the machine. Modes are set with chmod after creating, so the result does not depend
 * on the process's umask, and files an older version left readable are tightened at start-up.
 */
import fs from 'node:fs';

/** Owner read, write and search: the data folder. */
export const FOLDER_MODE = 0o700;
/** Owner read and write: every file in it. */
export const FILE_MODE = 0o600;

/**
 * Errors that mean "this file system does not let us change modes" (a mounted share, a folder owned by another
 * account): the store still works, and the caller is told which paths were left as they were.
 */
const UNCHANGEABLE = new Set(['EPERM', 'EACCES', 'ENOTSUP', 'EROFS', 'EOPNOTSUPP']);

/**
 * Sets `mode` on `file` when it exists and has other bits. Returns false when the file system refused the change
 * (see UNCHANGEABLE); true otherwise, including when there is no such file.
 */
export function restrictMode(file: string, mode: number): boolean {
    let current: number;
    try {
        current = fs.statSync(file).mode & 0o777;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
        throw err;
    }
    if (current === mode) return true;
    try {
        fs.chmodSync(file, mode);
        return true;
    } catch (err) {
        if (UNCHANGEABLE.has(String((err as NodeJS.ErrnoException).code))) return false;
        throw err;
    }
}

/** Creates the folder (and missing parents) for its owner only, or tightens an existing one (false: restrictMode). */
export function privateFolder(dir: string): boolean {
    fs.mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
    return restrictMode(dir, FOLDER_MODE);
}

/**
 * Creates the file empty when it is missing, readable by its owner only, or tightens an existing one; SQLite then
 * opens it as it is, and gives its WAL and shared-memory files the same mode. False: see restrictMode.
 */
export function privateFile(file: string): boolean {
    fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
    return restrictMode(file, FILE_MODE);
}
