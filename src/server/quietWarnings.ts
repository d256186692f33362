/**
 * restify 11 loads spdy, whose http-deceiver reads `process.binding('http_parser')`, and Node 20 warns about that
 * (DEP0111) at every start: two lines a council's team can do nothing about, which teach them to ignore warnings.
 * This drops that one warning, by its code and its words, and passes every other warning on unchanged. Imported for
 * its effect before restify (createServer.ts); Node 20's `--disable-warning=DEP0111` would do the same, but only
 * where every way of starting the server remembered the flag.
 */
const emitWarning = process.emitWarning.bind(process);

/** Whether a warning is the one about process.binding('http_parser'). */
function isHttpParserBinding(warning: unknown, rest: unknown[]): boolean {
    const message = warning instanceof Error ? warning.message : String(warning);
    const options = rest[0];
    const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : rest[1];
    return code === 'DEP0111' && message.includes("process.binding('http_parser')");
}

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isHttpParserBinding(warning, rest)) return;
    (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

export {};
