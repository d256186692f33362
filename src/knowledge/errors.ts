/** A knowledge file that cannot be used: every fault names the file, the record and the field. */
export interface FileFault {
    record: string;
    field: string;
    message: string;
}

export class KnowledgeFileError extends Error {
    constructor(readonly file: string, readonly faults: FileFault[]) {
        super(`${file}: ${faults.map((f) => `record ${f.record}, field ${f.field}: ${f.message}`).join('; ')}`);
        this.name = 'KnowledgeFileError';
    }
}
