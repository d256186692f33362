/** The importer's one error type: the source as a whole cannot be used (not found, not JSON, a page that fails). */

/** A fault in the import source or its output folder, said plainly; the command exits 1 with this message. */
export class ImportError extends Error {
    override readonly name = 'ImportError';
    /** The source or file the fault is in, when there is one. */
    readonly where?: string;

    constructor(message: string, where?: string) {
        super(where ? `${where}: ${message}` : message);
        if (where !== undefined) {
            this.where = where;
        }
    }
}
