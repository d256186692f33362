/**
 * CSV as HSDS tabular packages write it (RFC 4180): commas, double-quoted cells that may hold commas, quotes ("")
 * and line breaks, CRLF or LF line ends, an optional byte-order mark. Pure.
 */

/** One row of a table: header name -> cell text. Missing cells are ''. */
export type CsvRow = Record<string, string>;

/** Every row of a CSV text as arrays of cells, header included. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const endRow = (): void => {
        row.push(cell);
        if (row.length > 1 || row[0] !== '') {
            rows.push(row);
        }
        row = [];
        cell = '';
    };
    for (; i < text.length; i++) {
        const ch = text[i] as string;
        if (quoted) {
            if (ch === '"') {
                if (text[i + 1] === '"') {
                    cell += '"';
                    i++;
                } else {
                    quoted = false;
                }
            } else {
                cell += ch;
            }
        } else if (ch === '"' && cell === '') {
            quoted = true;
        } else if (ch === ',') {
            row.push(cell);
            cell = '';
        } else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && text[i + 1] === '\n') {
                i++;
            }
            endRow();
        } else {
            cell += ch;
        }
    }
    if (cell !== '' || row.length > 0) {
        endRow();
    }
    return rows;
}

/** The rows of a CSV text as objects keyed by the (trimmed) header. */
export function csvRecords(text: string): CsvRow[] {
    const [header, ...rows] = parseCsv(text);
    if (!header) {
        return [];
    }
    const names = header.map((name) => name.trim());
    return rows.map((cells) => {
        const record: CsvRow = {};
        names.forEach((name, i) => {
            record[name] = cells[i] ?? '';
        });
        return record;
    });
}
