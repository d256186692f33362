/**
 * Faults in knowledge files, said so a content editor can find and fix them: which file, which record or line,
 * which field, and what is wrong in plain words. Loaders collect every fault before giving up, so one run of
 * `signpost kb validate` lists them all.
 */
import type { z } from 'zod';

/** One thing wrong in a knowledge file. */
export interface KnowledgeFault {
    /** The file, relative to the knowledge directory ("directory/brackenford-sample.json"). */
    file: string;
    /** The record's id, or "record N" (1-based) when it has no usable id. */
    id?: string;
    /** 1-based line in the file, when known. */
    line?: number;
    /** The field, as a dotted path ("schedules.0.opens_at"). */
    field?: string;
    /** What is wrong, in plain words ("should be at least 0"). */
    message: string;
}

/** Where a fault is: everything but the field and the message. */
export type FaultPlace = Omit<KnowledgeFault, 'field' | 'message'>;

/** Thrown by the loaders when any record is invalid; carries every fault found. */
export class KnowledgeError extends Error {
    override readonly name = 'KnowledgeError';
    readonly faults: readonly KnowledgeFault[];

    constructor(faults: readonly KnowledgeFault[]) {
        super(`The knowledge files have ${faults.length === 1 ? 'a fault' : `${faults.length} faults`}:\n`
            + formatFaults(faults));
        this.faults = faults;
    }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a group of fields',
};

const FORMAT_WORDS: Readonly<Record<string, string>> = {
    url: 'a web address starting https://',
    email: 'an e-mail address',
};

/** Plain words for a size limit: "should list at least 1 item", "should be at most 160 characters". */
function sizeWords(origin: unknown, bound: 'at least' | 'at most', limit: unknown, inclusive: boolean): string {
    const edge = inclusive ? bound : bound === 'at least' ? 'more than' : 'less than';
    if (origin === 'string') {
        return limit === 1 && bound === 'at least' ? 'is empty' : `should be ${edge} ${String(limit)} characters long`;
    }
    if (origin === 'array' || origin === 'set') {
        return `should list ${edge} ${String(limit)} ${limit === 1 ? 'item' : 'items'}`;
    }
    return `should be ${edge} ${String(limit)}`;
}

/** One zod issue in plain words. */
export function describeIssue(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case 'invalid_type':
            return issue.input === undefined
                ? 'is missing'
                : `should be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
        case 'too_small':
            return sizeWords(issue.origin, 'at least', issue.minimum, issue.inclusive !== false);
        case 'too_big':
            return sizeWords(issue.origin, 'at most', issue.maximum, issue.inclusive !== false);
        case 'invalid_format':
            if (issue.format === 'regex') {
                // Our schemas give patterns a plain description ("a time as HH:MM"); zod's own message is not plain.
                return issue.message.startsWith('Invalid')
                    ? 'is not in the expected form'
                    : `should be ${issue.message}`;
            }
            return `should be ${FORMAT_WORDS[issue.format] ?? issue.format}`;
        case 'invalid_value':
            return issue.values.length === 1
                ? `should be ${String(issue.values[0])}`
                : `should be one of: ${issue.values.map(String).join(', ')}`;
        case 'unrecognized_keys':
            return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} Signpost does not know: `
                + `${issue.keys.join(', ')} (check the spelling)`;
        default:
            return issue.message;
    }
}

/** Faults from a failed zod parse, each naming its field. Parse with `{ reportInput: true }` to tell "missing". */
export function faultsFromZod(
    error: { issues: readonly z.core.$ZodIssue[] },
    where: FaultPlace,
): KnowledgeFault[] {
    return error.issues.map((issue) => {
        const path = issue.path.map(String);
        if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
            path.push(issue.keys[0] as string);
        }
        const fault: KnowledgeFault = { ...where, message: describeIssue(issue) };
        if (path.length > 0) {
            fault.field = path.join('.');
        }
        return fault;
    });
}

/**
 * Line numbers (1-based) of each `"key": "value"` in a JSON text, by value, in order: a cheap way for a fault to say
 * where its record starts without a position-aware JSON parser.
 */
export function valueLines(text: string, key: string): Map<string, number[]> {
    const lines = new Map<string, number[]>();
    const pattern = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');
    let line = 1;
    let scanned = 0;
    for (const match of text.matchAll(pattern)) {
        for (let i = scanned; i < match.index; i++) {
            if (text.charCodeAt(i) === 10) {
                line++;
            }
        }
        scanned = match.index;
        const value = match[1] ?? '';
        const list = lines.get(value);
        if (list) {
            list.push(line);
        } else {
            lines.set(value, [line]);
        }
    }
    return lines;
}

/** One fault on one line: "directory/x.json, line 12, record svc-3, field cost_options.0.amount: should be ...". */
export function formatFault(fault: KnowledgeFault): string {
    const where = [fault.file];
    if (fault.line !== undefined) {
        where.push(`line ${fault.line}`);
    }
    if (fault.id !== undefined) {
        where.push(fault.id.startsWith('record ') ? fault.id : `record ${fault.id}`);
    }
    if (fault.field !== undefined) {
        where.push(`field ${fault.field}`);
    }
    return `${where.join(', ')}: ${fault.message}`;
}

/** Every fault, one a line, in the order found. */
export function formatFaults(faults: readonly KnowledgeFault[]): string {
    return faults.map(formatFault).join('\n');
}
