/**
 * Static checks of Azure Resource Manager (ARM) templates, their parameter files and the Bicep beside them, with no
 * Azure and no Bicep CLI. Each check returns a list of faults (plain sentences naming the file part); an empty list
 * means it passed. The tests run them on the shipped templates and on broken copies, to show each one can fail.
 */

/** A parsed ARM template expression (the part between the outer brackets of "[...]"). */
export type Expr =
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'call'; name: string; args: Expr[] }
    | { kind: 'property'; target: Expr; name: string }
    | { kind: 'index'; target: Expr; index: Expr };

/** A JSON value as read from a template file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export class ExpressionError extends Error {
    constructor(readonly text: string, message: string) {
        super(`${message} in "${text}"`);
        this.name = 'ExpressionError';
    }
}

/** True when a template string is an expression: "[...]" but not the escaped literal "[[...". */
export function isExpression(value: string): boolean {
    return value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[');
}

/** Parses the inside of "[...]": function calls, 'strings' (with '' for a quote), numbers, .property and [index]. */
export function parseExpression(text: string): Expr {
    let i = 0;
    const space = () => {
        while (i < text.length && /\s/.test(text[i])) i++;
    };
    const fail = (message: string): never => {
        throw new ExpressionError(text, `${message} at ${i}`);
    };
    const primary = (): Expr => {
        space();
        const c = text[i];
        if (c === '\'') {
            let value = '';
            i++;
            for (;;) {
                if (i >= text.length) fail('unterminated string');
                if (text[i] === '\'') {
                    if (text[i + 1] === '\'') {
                        value += '\'';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                value += text[i++];
            }
            return { kind: 'string', value };
        }
        const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
        if (num) {
            i += num[0].length;
            return { kind: 'number', value: Number(num[0]) };
        }
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
        if (!name) return fail('expected a function, string or number');
        i += name[0].length;
        space();
        if (text[i] !== '(') return fail(`expected ( after ${name[0]}`);
        i++;
        const args: Expr[] = [];
        space();
        if (text[i] === ')') {
            i++;
        } else {
            for (;;) {
                args.push(postfix());
                space();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i] === ')') {
                    i++;
                    break;
                }
                fail('expected , or )');
            }
        }
        return { kind: 'call', name: name[0], args };
    };
    const postfix = (): Expr => {
        let e = primary();
        for (;;) {
            space();
            if (text[i] === '.') {
                i++;
                const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
                if (!name) return fail('expected a property name after .');
                i += name[0].length;
                e = { kind: 'property', target: e, name: name[0] };
            } else if (text[i] === '[') {
                i++;
                const index = postfix();
                space();
                if (text[i] !== ']') return fail('expected ]');
                i++;
                e = { kind: 'index', target: e, index };
            } else {
                return e;
            }
        }
    };
    const result = postfix();
    space();
    if (i !== text.length) fail('unexpected text');
    return result;
}

/** An expression written back in one canonical form, so two ways of spelling the same call compare equal. */
export function show(e: Expr): string {
    switch (e.kind) {
        case 'string': return `'${e.value.replace(/'/g, '\'\'')}'`;
        case 'number': return String(e.value);
        case 'call': return `${e.name.toLowerCase()}(${e.args.map(show).join(', ')})`;
        case 'property': return `${show(e.target)}.${e.name}`;
        case 'index': return `${show(e.target)}[${show(e.index)}]`;
    }
}

/** Every call in an expression, outermost first. */
export function* calls(e: Expr): Generator<Extract<Expr, { kind: 'call' }>> {
    if (e.kind === 'call') {
        yield e;
        for (const a of e.args) yield* calls(a);
    } else if (e.kind === 'property') {
        yield* calls(e.target);
    } else if (e.kind === 'index') {
        yield* calls(e.target);
        yield* calls(e.index);
    }
}

/** The ARM template functions (learn.microsoft.com "Template functions"), lower case; list* is checked apart. */
const ARM_FUNCTIONS = new Set([
    'array', 'concat', 'contains', 'createarray', 'empty', 'first', 'indexof', 'intersection', 'items', 'join',
    'last', 'lastindexof', 'length', 'max', 'min', 'range', 'skip', 'take', 'union', 'filter', 'map', 'reduce',
    'sort', 'toobject', 'flatten', 'tryget', 'objectkeys', 'shallowmerge', 'coalesce', 'equals', 'greater',
    'greaterorequals', 'less', 'lessorequals', 'datetimeadd', 'datetimefromepoch', 'datetimetoepoch', 'utcnow',
    'deployment', 'environment', 'parameters', 'variables', 'and', 'bool', 'false', 'if', 'not', 'or', 'true', 'add',
    'copyindex', 'div', 'float', 'int', 'mod', 'mul', 'sub', 'createobject', 'json', 'null', 'extensionresourceid',
    'pickzones', 'providers', 'reference', 'references', 'resourceid', 'subscriptionresourceid',
    'managementgroupresourceid', 'tenantresourceid', 'resourcegroup', 'subscription', 'managementgroup', 'tenant',
    'base64', 'base64tojson', 'base64tostring', 'datauri', 'datauritostring', 'endswith', 'format', 'guid', 'newguid',
    'padleft', 'replace', 'split', 'startswith', 'string', 'substring', 'tolower', 'toupper', 'trim', 'uniquestring',
    'uri', 'uricomponent', 'uricomponenttostring', 'lambda', 'lambdavariables',
]);

/** Resource types a template may point at without declaring them: built-in definitions that always exist. */
const EXTERNAL_TYPES = new Set(['microsoft.authorization/roledefinitions']);

function isObject(v: Json | undefined): v is JsonObject {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInnerDeployment(r: JsonObject): boolean {
    const props = r.properties;
    if (r.type !== 'Microsoft.Resources/deployments' || !isObject(props) || !isObject(props.template)) return false;
    const options = props.expressionEvaluationOptions;
    return isObject(options) && typeof options.scope === 'string' && options.scope.toLowerCase() === 'inner';
}

/** Every string in a JSON value with where it is (keys too: ARM evaluates expressions in property names). */
export function* stringsIn(value: Json, where = '', skip?: (v: JsonObject, where: string) => boolean):
    Generator<{ where: string; value: string }> {
    if (typeof value === 'string') {
        yield { where, value };
    } else if (Array.isArray(value)) {
        for (let n = 0; n < value.length; n++) yield* stringsIn(value[n], `${where}[${n}]`, skip);
    } else if (isObject(value)) {
        if (skip?.(value, where)) return;
        for (const [k, v] of Object.entries(value)) {
            yield { where: `${where}.${k} (name)`, value: k };
            yield* stringsIn(v, `${where}.${k}`, skip);
        }
    }
}

/** The strings of one expression scope: the template without the templates of nested inner-scope deployments. */
function* scopeStrings(template: JsonObject): Generator<{ where: string; value: string }> {
    for (const [k, v] of Object.entries(template)) {
        if (k === 'resources' && Array.isArray(v)) {
            for (let n = 0; n < v.length; n++) {
                const r = v[n];
                if (isObject(r) && isInnerDeployment(r)) {
                    const { properties, ...rest } = r;
                    const { template: _inner, ...outerProps } = properties as JsonObject;
                    yield* stringsIn({ ...rest, properties: outerProps }, `resources[${n}]`);
                } else {
                    yield* stringsIn(r, `resources[${n}]`);
                }
            }
        } else {
            yield* stringsIn(v, k);
        }
    }
}

/** The parsed expressions of one scope; unparsable ones are reported as faults. */
function scopeExpressions(template: JsonObject, faults: string[]): { where: string; expr: Expr }[] {
    const out: { where: string; expr: Expr }[] = [];
    for (const { where, value } of scopeStrings(template)) {
        if (!isExpression(value)) continue;
        try {
            out.push({ where, expr: parseExpression(value.slice(1, -1)) });
        } catch (err) {
            faults.push(`${where}: ${(err as Error).message}`);
        }
    }
    return out;
}

/** Templates nested in inner-scope deployments, each with where it is. */
export function nestedTemplates(template: JsonObject, where = 'template'): { where: string; template: JsonObject }[] {
    const out: { where: string; template: JsonObject }[] = [];
    const resources = Array.isArray(template.resources) ? template.resources : [];
    resources.forEach((r, n) => {
        if (isObject(r) && isInnerDeployment(r)) {
            const inner = (r.properties as JsonObject).template as JsonObject;
            const at = `${where}.resources[${n}].properties.template`;
            out.push({ where: at, template: inner }, ...nestedTemplates(inner, at));
        }
    });
    return out;
}

/** The template and every nested inner-scope template: each is checked as its own scope. */
function allScopes(template: JsonObject): { where: string; template: JsonObject }[] {
    return [{ where: 'template', template }, ...nestedTemplates(template)];
}

function literal(e: Expr | undefined): string | undefined {
    return e?.kind === 'string' ? e.value : undefined;
}

/**
 * Parameters and variables: each declared one is used, each one used is declared, and every function called is an
 * ARM template function. Nested inner-scope deployments are checked as scopes of their own, and what the outer
 * template passes them must be parameters they declare (and cover every one without a default).
 */
export function checkReferences(root: JsonObject): string[] {
    const faults: string[] = [];
    for (const { where, template } of allScopes(root)) {
        const declaredParams = new Set(Object.keys(isObject(template.parameters) ? template.parameters : {}));
        const declaredVars = new Set(Object.keys(isObject(template.variables) ? template.variables : {}));
        const usedParams = new Set<string>();
        const usedVars = new Set<string>();
        for (const { where: at, expr } of scopeExpressions(template, faults)) {
            for (const c of calls(expr)) {
                const fn = c.name.toLowerCase();
                if (!ARM_FUNCTIONS.has(fn) && !fn.startsWith('list')) {
                    faults.push(`${where} ${at}: ${c.name}() is not an ARM template function`);
                }
                if (fn === 'parameters' || fn === 'variables') {
                    const name = literal(c.args[0]);
                    if (name === undefined) {
                        faults.push(`${where} ${at}: ${c.name}() needs a name in quotes`);
                        continue;
                    }
                    (fn === 'parameters' ? usedParams : usedVars).add(name);
                    const declared = fn === 'parameters' ? declaredParams : declaredVars;
                    if (!declared.has(name)) {
                        faults.push(`${where} ${at}: ${c.name}('${name}') is not declared`);
                    }
                }
            }
        }
        for (const p of declaredParams) if (!usedParams.has(p)) faults.push(`${where}: parameter ${p} is never used`);
        for (const v of declaredVars) if (!usedVars.has(v)) faults.push(`${where}: variable ${v} is never used`);
    }
    for (const r of resourcesOf(root)) {
        if (!isInnerDeployment(r.resource)) continue;
        const props = r.resource.properties as JsonObject;
        const inner = props.template as JsonObject;
        const innerParams = isObject(inner.parameters) ? inner.parameters : {};
        const passed = isObject(props.parameters) ? props.parameters : {};
        for (const name of Object.keys(passed)) {
            if (!(name in innerParams)) faults.push(`${r.where}: passes ${name}, which the nested template lacks`);
        }
        for (const [name, p] of Object.entries(innerParams)) {
            if (isObject(p) && !('defaultValue' in p) && !(name in passed)) {
                faults.push(`${r.where}: does not pass ${name}, which the nested template needs`);
            }
        }
    }
    return faults;
}

interface Declared {
    where: string;
    resource: JsonObject;
    type: string;
    /** The name, one canonical expression per segment ("bot/DirectLineChannel" has two). */
    segments: string[];
}

function resourcesOf(template: JsonObject): { where: string; resource: JsonObject }[] {
    const resources = Array.isArray(template.resources) ? template.resources : [];
    return resources.flatMap((r, n) => isObject(r) ? [{ where: `resources[${n}]`, resource: r }] : []);
}

/** The segments of a resource name: "a/b", or "[format('{0}/{1}', x, 'b')]", or any single expression. */
function nameSegments(name: Json): string[] {
    if (typeof name !== 'string') return ['?'];
    if (!isExpression(name)) return name.split('/').map((s) => show({ kind: 'string', value: s }));
    const e = parseExpression(name.slice(1, -1));
    if (e.kind === 'call' && e.name.toLowerCase() === 'format') {
        const pattern = literal(e.args[0]);
        if (pattern !== undefined && /^(\{\d+\}|[^{}/]+)(\/(\{\d+\}|[^{}/]+))*$/.test(pattern)) {
            return pattern.split('/').map((part) => {
                const m = /^\{(\d+)\}$/.exec(part);
                return m ? show(e.args[Number(m[1]) + 1] ?? { kind: 'string', value: '?' })
                    : show({ kind: 'string', value: part });
            });
        }
    }
    return [show(e)];
}

function declaredResources(template: JsonObject): Declared[] {
    return resourcesOf(template).map(({ where, resource }) => ({
        where,
        resource,
        type: String(resource.type ?? ''),
        segments: nameSegments(resource.name ?? ''),
    }));
}

/** The resource a resourceId-like call points at: its type and name segments, or undefined for other calls. */
export function targetOf(c: Extract<Expr, { kind: 'call' }>): { type: string; segments: string[] } | undefined {
    const fn = c.name.toLowerCase();
    let rest: Expr[];
    if (fn === 'resourceid' || fn === 'subscriptionresourceid' || fn === 'tenantresourceid') {
        const at = c.args.findIndex((a) => a.kind === 'string' && a.value.includes('/'));
        if (at < 0) return undefined;
        rest = c.args.slice(at);
    } else if (fn === 'extensionresourceid') {
        rest = c.args.slice(1);
    } else {
        return undefined;
    }
    const type = literal(rest[0]);
    if (type === undefined) return undefined;
    return { type, segments: rest.slice(1).map(show) };
}

/** The resource a "scope" property points at: "[format('Microsoft.KeyVault/vaults/{0}', name)]" or a resourceId. */
function scopeTarget(scope: string): { type: string; segments: string[] } | undefined {
    if (!isExpression(scope)) return undefined;
    const e = parseExpression(scope.slice(1, -1));
    if (e.kind !== 'call') return undefined;
    const direct = targetOf(e);
    if (direct) return direct;
    const pattern = e.name.toLowerCase() === 'format' ? literal(e.args[0]) : undefined;
    if (!pattern) return undefined;
    const parts = pattern.split('/');
    const types = [parts[0]];
    const segments: string[] = [];
    for (let n = 1; n + 1 < parts.length; n += 2) {
        types.push(parts[n]);
        const m = /^\{(\d+)\}$/.exec(parts[n + 1]);
        segments.push(m ? show(e.args[Number(m[1]) + 1] ?? { kind: 'string', value: '?' })
            : show({ kind: 'string', value: parts[n + 1] }));
    }
    return { type: types.join('/'), segments };
}

function find(declared: Declared[], target: { type: string; segments: string[] }): Declared | undefined {
    return declared.find((d) => d.type.toLowerCase() === target.type.toLowerCase()
        && d.segments.length === target.segments.length && d.segments.every((s, n) => s === target.segments[n]));
}

function describe(target: { type: string; segments: string[] }): string {
    return `${target.type} ${target.segments.join('/')}`;
}

/**
 * Resources pointed at: every resourceId()/extensionResourceId()/subscriptionResourceId() names a resource the same
 * template declares (type and name), every dependsOn entry and "scope" does, no resource depends on itself, and a
 * resource that reads another with reference() or list*() depends on it (directly or through others), because ARM
 * does not order resources named by resourceId() on its own.
 */
export function checkResourceTargets(root: JsonObject): string[] {
    const faults: string[] = [];
    for (const { where, template } of allScopes(root)) {
        const declared = declaredResources(template);
        const resolve = (at: string, target: { type: string; segments: string[] }): Declared | undefined => {
            if (EXTERNAL_TYPES.has(target.type.toLowerCase())) return undefined;
            const found = find(declared, target);
            if (!found) {
                faults.push(`${where} ${at}: points at ${describe(target)}, which the template does not declare`);
            }
            return found;
        };
        for (const { where: at, expr } of scopeExpressions(template, faults)) {
            for (const c of calls(expr)) {
                const target = targetOf(c);
                if (target) resolve(at, target);
            }
        }
        const dependsOn = new Map<Declared, Declared[]>();
        for (const d of declared) {
            const list: Declared[] = [];
            const entries = Array.isArray(d.resource.dependsOn) ? d.resource.dependsOn : [];
            entries.forEach((entry, n) => {
                const at = `${d.where}.dependsOn[${n}]`;
                const e = typeof entry === 'string' && isExpression(entry)
                    ? parseExpression(entry.slice(1, -1)) : undefined;
                const target = e?.kind === 'call' ? targetOf(e) : undefined;
                if (!target) {
                    faults.push(`${where} ${at}: must be a resourceId() of a resource in the template`);
                    return;
                }
                const found = resolve(at, target);
                if (found === d) faults.push(`${where} ${at}: a resource cannot depend on itself`);
                if (found) list.push(found);
            });
            dependsOn.set(d, list);
            if (typeof d.resource.scope === 'string') {
                const target = scopeTarget(d.resource.scope);
                if (!target) faults.push(`${where} ${d.where}.scope: must name a resource in the template`);
                else resolve(`${d.where}.scope`, target);
            }
        }
        const reaches = (from: Declared, to: Declared, seen = new Set<Declared>()): boolean => {
            for (const next of dependsOn.get(from) ?? []) {
                if (next === to) return true;
                if (!seen.has(next)) {
                    seen.add(next);
                    if (reaches(next, to, seen)) return true;
                }
            }
            return false;
        };
        for (const d of declared) {
            const read = new Set<Declared>();
            const content = isInnerDeployment(d.resource)
                ? { ...d.resource, properties: { ...(d.resource.properties as JsonObject), template: null } }
                : d.resource;
            for (const { value } of stringsIn(content)) {
                if (!isExpression(value)) continue;
                let e: Expr;
                try {
                    e = parseExpression(value.slice(1, -1));
                } catch {
                    continue;
                }
                for (const c of calls(e)) {
                    const fn = c.name.toLowerCase();
                    if (fn !== 'reference' && !fn.startsWith('list')) continue;
                    const first = c.args[0];
                    const target = first?.kind === 'call' ? targetOf(first) : undefined;
                    const found = target && find(declared, target);
                    if (found && found !== d) read.add(found);
                }
            }
            for (const r of read) {
                if (!reaches(d, r)) {
                    faults.push(`${where} ${d.where} (${d.type}): reads ${r.type} ${r.segments.join('/')} with `
                        + 'reference() or list*() but does not depend on it');
                }
            }
        }
    }
    return faults;
}

/** Parameter names that say "this is a secret": such parameters must be secure. */
export const SECRET_NAME = /passw(or)?d|secret|token|account_?sid|connection_?string|mongodb_?uri|api_?key/i;

function isSecureType(p: Json): boolean {
    return isObject(p) && typeof p.type === 'string' && /^secure(string|object)$/i.test(p.type);
}

/** The names of a template's secure parameters. */
export function secureParameters(template: JsonObject): Set<string> {
    const params = isObject(template.parameters) ? template.parameters : {};
    return new Set(Object.entries(params).filter(([, p]) => isSecureType(p)).map(([name]) => name));
}

/**
 * Looks like a secret: a password, key, token, SID or a connection string with credentials. Placeholders such as
 * "<your-bot-name>" and empty strings are not secrets. `typed` (for values people type into parameter files) also
 * counts password-shaped words: upper and lower case, a digit and a symbol, no spaces.
 */
export function looksLikeSecret(value: string, typed = false): boolean {
    const v = value.trim();
    if (!v || /^<[^<>]*>$/.test(v) || /<your-[^<>]*>/i.test(v)) return false;
    if (/-----BEGIN [A-Z ]+-----/.test(v)) return true; // a private key or certificate
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v)) return true; // scheme://user:password@host
    if (/(^|;)\s*(password|pwd|accountkey|sharedaccesskey)\s*=/i.test(v)) return true; // key=value connection strings
    if (/^(AC|SK)[0-9a-f]{32}$/i.test(v) || /^[0-9a-f]{32,}$/i.test(v)) return true; // Twilio SIDs, hex keys
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) && !/^[0-]+$/.test(v)) return true;
    if (/^[A-Za-z0-9_.-]{3,}~[A-Za-z0-9_.~-]{20,}$/.test(v)) return true; // Entra ID client secrets have a ~
    if (v.length >= 24 && /^[A-Za-z0-9+/=_-]+$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v)) return true; // random
    if (typed && /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9])\S{8,}$/.test(v)) return true; // password-shaped
    if (/^(password|passw0rd|p@ssw0rd|secret|changeme|letmein|admin123)/i.test(v)) return true;
    return false;
}

/**
 * Secrets: a secure parameter has no default (or an empty one: "not used"), a parameter named like a secret is
 * secure, no output gives a secure parameter or a list*() result away, and no plain string in the template looks
 * like a secret.
 */
export function checkSecrets(root: JsonObject): string[] {
    const faults: string[] = [];
    for (const { where, template } of allScopes(root)) {
        const params = isObject(template.parameters) ? template.parameters : {};
        for (const [name, p] of Object.entries(params)) {
            if (!isObject(p)) continue;
            if (isSecureType(p) && 'defaultValue' in p && p.defaultValue !== '') {
                faults.push(`${where}: secure parameter ${name} has a default value`);
            }
            if (SECRET_NAME.test(name) && !isSecureType(p)) {
                faults.push(`${where}: parameter ${name} sounds secret but is not securestring`);
            }
        }
        const secure = secureParameters(template);
        const outputs = isObject(template.outputs) ? template.outputs : {};
        for (const [name, o] of Object.entries(outputs)) {
            if (isObject(o) && isSecureType(o)) continue;
            for (const { value } of stringsIn(o)) {
                if (!isExpression(value)) continue;
                for (const c of calls(parseExpression(value.slice(1, -1)))) {
                    const fn = c.name.toLowerCase();
                    if (fn.startsWith('list')) faults.push(`${where}: output ${name} gives away ${c.name}()`);
                    if (fn === 'parameters' && secure.has(literal(c.args[0]) ?? '')) {
                        faults.push(`${where}: output ${name} gives away secure parameter ${literal(c.args[0])}`);
                    }
                }
            }
        }
        for (const { where: at, value } of scopeStrings(template)) {
            if (at.endsWith('(name)')) continue; // a property name such as "password" is not its value
            if (!isExpression(value) && looksLikeSecret(value)) faults.push(`${where} ${at}: looks like a secret`);
        }
    }
    return faults;
}

/** The ISO date an API version is of ("2025-03-01-preview" is 2025-03-01), and whether it is a preview. */
function apiDate(version: string): { date: string; preview: boolean } | undefined {
    const m = /^(\d{4}-\d{2}-\d{2})(-[a-z]+)?$/i.exec(version);
    return m ? { date: m[1], preview: Boolean(m[2]) } : undefined;
}

/** Every API version a template uses: its resources' and those passed to reference() and list*(). */
export function apiVersions(root: JsonObject): { where: string; type: string; version: string }[] {
    const out: { where: string; type: string; version: string }[] = [];
    for (const { where, template } of allScopes(root)) {
        const declared = declaredResources(template);
        for (const d of declared) {
            out.push({ where: `${where} ${d.where}`, type: d.type, version: String(d.resource.apiVersion ?? '') });
        }
        for (const { where: at, expr } of scopeExpressions(template, [])) {
            for (const c of calls(expr)) {
                const fn = c.name.toLowerCase();
                if (fn !== 'reference' && !fn.startsWith('list')) continue;
                const version = literal(c.args[1]);
                const target = c.args[0]?.kind === 'call' ? targetOf(c.args[0]) : undefined;
                if (version !== undefined && target) out.push({ where: `${where} ${at}`, type: target.type, version });
                if (version === undefined && target) {
                    out.push({ where: `${where} ${at}`, type: target.type, version: '(none given)' });
                }
            }
        }
    }
    return out;
}

/**
 * API versions are recent: dated no earlier than two years before `today`, and not previews. The exception is a type
 * whose newest published version is older (listed in `newestPublished`): it must use exactly that version.
 */
export function checkApiVersions(root: JsonObject, today: Date, newestPublished: Record<string, string>): string[] {
    const cutoff = new Date(today);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - 2);
    const oldest = cutoff.toISOString().slice(0, 10);
    const faults: string[] = [];
    const exempt = new Map(Object.entries(newestPublished).map(([t, v]) => [t.toLowerCase(), v]));
    for (const { where, type, version } of apiVersions(root)) {
        const parsed = apiDate(version);
        const newest = exempt.get(type.toLowerCase());
        if (newest !== undefined) {
            if (version !== newest) {
                faults.push(`${where}: ${type} must use ${newest}, its newest version, not ${version}`);
            }
            continue;
        }
        if (!parsed) faults.push(`${where}: ${type} has no API version date (${version})`);
        else if (parsed.preview) faults.push(`${where}: ${type}@${version} is a preview`);
        else if (parsed.date < oldest) faults.push(`${where}: ${type}@${version} is older than ${oldest}`);
    }
    return faults;
}

/**
 * A parameter file: only parameters the template declares, values of the declared type and allowed values, no value
 * that looks like a secret and no value for a secure parameter (those are given on the command line), and every
 * parameter without a default that is not secure.
 */
export function checkParameterFile(file: JsonObject, template: JsonObject): string[] {
    const faults: string[] = [];
    const declared = isObject(template.parameters) ? template.parameters : {};
    const given = isObject(file.parameters) ? file.parameters : {};
    if (typeof file.$schema !== 'string' || !file.$schema.includes('deploymentParameters.json')) {
        faults.push('$schema is not the deployment parameters schema');
    }
    for (const [name, entry] of Object.entries(given)) {
        const p = declared[name];
        if (!isObject(p)) {
            faults.push(`parameter ${name} is not declared by the template`);
            continue;
        }
        if (!isObject(entry) || !('value' in entry)) {
            faults.push(`parameter ${name} has no value (Key Vault references are not used here)`);
            continue;
        }
        const value = entry.value;
        if (isSecureType(p)) faults.push(`parameter ${name} is secure: give it on the command line, not in a file`);
        const type = String(p.type).toLowerCase();
        const ok = type === 'bool' ? typeof value === 'boolean'
            : type === 'int' ? Number.isInteger(value)
                : type === 'object' || type === 'secureobject' ? isObject(value)
                    : type === 'array' ? Array.isArray(value) : typeof value === 'string';
        if (!ok) faults.push(`parameter ${name} should be ${type}`);
        if (Array.isArray(p.allowedValues) && !p.allowedValues.includes(value as Json)) {
            faults.push(`parameter ${name} is not one of ${p.allowedValues.join(', ')}`);
        }
        for (const { value: text } of stringsIn(value)) {
            if (looksLikeSecret(text, true)) faults.push(`parameter ${name} looks like a secret`);
            else if (SECRET_NAME.test(name) && text.trim() && !/^<[^<>]*>$/.test(text.trim())) {
                faults.push(`parameter ${name} holds a value but is a secret`);
            }
        }
    }
    for (const [name, p] of Object.entries(declared)) {
        if (isObject(p) && !('defaultValue' in p) && !isSecureType(p) && !(name in given)) {
            faults.push(`parameter ${name} is needed but not in the file`);
        }
    }
    return faults;
}

/** The web app settings a template sets: the Microsoft.Web/sites/config "appsettings" resource's properties. */
export function appSettings(root: JsonObject): Map<string, Json> {
    const settings = new Map<string, Json>();
    for (const { template } of allScopes(root)) {
        for (const d of declaredResources(template)) {
            if (d.type.toLowerCase() === 'microsoft.web/sites/config' && d.segments.at(-1) === '\'appsettings\''
                && isObject(d.resource.properties)) {
                for (const [k, v] of Object.entries(d.resource.properties)) settings.set(k, v);
            }
            const siteConfig = isObject(d.resource.properties) ? d.resource.properties.siteConfig : undefined;
            if (d.type.toLowerCase() === 'microsoft.web/sites' && isObject(siteConfig)
                && Array.isArray(siteConfig.appSettings)) {
                for (const s of siteConfig.appSettings) if (isObject(s)) settings.set(String(s.name), s.value ?? null);
            }
        }
    }
    return settings;
}

export interface SettingsRules {
    /** The keys Signpost reads (settingsSchema in src/config.ts). */
    known: Set<string>;
    /** App Service and Application Insights settings allowed besides. */
    platform: Set<string>;
    /** Settings every deployment must set. */
    required: string[];
}

/**
 * App settings: each is a setting Signpost reads or an allowed platform setting, every required one is set, and no
 * value passes a secure parameter straight in: secrets arrive as Key Vault references.
 */
export function checkAppSettings(root: JsonObject, rules: SettingsRules): string[] {
    const faults: string[] = [];
    const settings = appSettings(root);
    if (settings.size === 0) return ['the template sets no app settings'];
    const secure = new Set<string>();
    for (const { template } of allScopes(root)) for (const s of secureParameters(template)) secure.add(s);
    for (const [key, value] of settings) {
        if (!rules.known.has(key) && !rules.platform.has(key)) {
            faults.push(`app setting ${key} is not a setting Signpost reads (settingsSchema) nor an allowed platform `
                + 'one');
        }
        if (typeof value !== 'string') {
            faults.push(`app setting ${key} must be a string`);
            continue;
        }
        if (!isExpression(value)) continue;
        for (const name of secureValuesIn(parseExpression(value.slice(1, -1)), secure)) {
            faults.push(`app setting ${key} passes secure parameter ${name} in plain: use a Key Vault reference`);
        }
    }
    for (const key of rules.required) if (!settings.has(key)) faults.push(`app setting ${key} is required but not set`);
    return faults;
}

/** Secure parameters whose value an expression passes on (asking only whether one is empty passes nothing). */
function secureValuesIn(e: Expr, secure: Set<string>): string[] {
    if (e.kind === 'call') {
        const fn = e.name.toLowerCase();
        if (fn === 'empty') return [];
        const name = literal(e.args[0]);
        if (fn === 'parameters' && name !== undefined && secure.has(name)) return [name];
        return e.args.flatMap((a) => secureValuesIn(a, secure));
    }
    if (e.kind === 'property') return secureValuesIn(e.target, secure);
    if (e.kind === 'index') return [...secureValuesIn(e.target, secure), ...secureValuesIn(e.index, secure)];
    return [];
}

/** The setting values to try against settingsSchema: defaults, allowed values and parameter file values. */
export function settingCandidates(template: JsonObject, files: JsonObject[]): Map<string, string[]> {
    const params = isObject(template.parameters) ? template.parameters : {};
    const out = new Map<string, string[]>();
    for (const [key, value] of appSettings(template)) {
        if (typeof value !== 'string') continue;
        if (!isExpression(value)) {
            out.set(key, [value]);
            continue;
        }
        const e = parseExpression(value.slice(1, -1));
        const inner = e.kind === 'call' && e.name.toLowerCase() === 'string' ? e.args[0] : e;
        if (inner?.kind !== 'call' || inner.name.toLowerCase() !== 'parameters') continue;
        const name = literal(inner.args[0]) ?? '';
        const p = params[name];
        if (!isObject(p) || isSecureType(p)) continue;
        const values: Json[] = [];
        if ('defaultValue' in p && !(typeof p.defaultValue === 'string' && isExpression(p.defaultValue))) {
            values.push(p.defaultValue);
        }
        if (Array.isArray(p.allowedValues)) values.push(...p.allowedValues);
        for (const f of files) {
            const given = isObject(f.parameters) ? f.parameters[name] : undefined;
            if (isObject(given) && 'value' in given) values.push(given.value);
        }
        out.set(key, values.filter((v) => v !== null && typeof v !== 'object').map(String));
    }
    return out;
}

const MULTI_TENANT = /multi-?tenant/i;

/**
 * Multi-tenant bots are not offered: the bot identity type is a parameter whose only values are SingleTenant and
 * UserAssignedMSI, the bot and the MicrosoftAppType setting take it from there, and "MultiTenant" appears nowhere.
 */
export function checkNoMultiTenant(root: JsonObject, text: string): string[] {
    const faults: string[] = [];
    if (MULTI_TENANT.test(text)) faults.push('the template mentions MultiTenant');
    const allowed = new Set(['SingleTenant', 'UserAssignedMSI']);
    for (const { where, template } of allScopes(root)) {
        const params = isObject(template.parameters) ? template.parameters : {};
        for (const d of declaredResources(template)) {
            if (d.type.toLowerCase() !== 'microsoft.botservice/botservices') continue;
            const type = isObject(d.resource.properties) ? d.resource.properties.msaAppType : undefined;
            if (typeof type !== 'string') {
                faults.push(`${where} ${d.where}: the bot has no msaAppType (Azure's default is MultiTenant)`);
                continue;
            }
            const e = isExpression(type) ? parseExpression(type.slice(1, -1)) : undefined;
            const param = e?.kind === 'call' && e.name.toLowerCase() === 'parameters' ? literal(e.args[0]) : undefined;
            const values = param !== undefined && isObject(params[param])
                ? (params[param] as JsonObject).allowedValues : [type];
            if (!Array.isArray(values)) {
                faults.push(`${where}: parameter ${param} for msaAppType has no allowedValues`);
            } else if (!values.every((v) => allowed.has(String(v)))) {
                faults.push(`${where}: msaAppType may be ${values.join(', ')}; only SingleTenant and UserAssignedMSI`);
            }
            const setting = appSettings(template).get('MicrosoftAppType');
            if (setting !== undefined && setting !== type) {
                faults.push(`${where}: the MicrosoftAppType app setting differs from the bot's msaAppType`);
            }
        }
    }
    return faults;
}

// --- Bicep, read loosely ---

export interface BicepFile {
    targetScope: string;
    params: Map<string, { type: string; secure: boolean; allowed?: string[]; hasDefault: boolean }>;
    resources: { symbol: string; type: string; apiVersion: string }[];
    modules: { symbol: string; path: string }[];
    outputs: string[];
    /** The keys of the properties block of the resource named 'appsettings'. */
    appSettingKeys: string[];
    /** The keys of each module's params block. */
    moduleParams: Map<string, string[]>;
}

/** The keys at the first level of the `{ ... }` block that starts on the line after `from`. */
function blockKeys(lines: string[], from: number): string[] {
    const keys: string[] = [];
    let depth = 0;
    for (let n = from; n < lines.length; n++) {
        const line = lines[n];
        if (depth === 1) {
            const m = /^\s*'?([A-Za-z_][\w-]*)'?\s*:/.exec(line);
            if (m) keys.push(m[1]);
        }
        for (const ch of line.replace(/'(?:[^'\\]|\\.)*'/g, '')) {
            if (ch === '{' || ch === '[') depth++;
            if (ch === '}' || ch === ']') depth--;
        }
        if (depth <= 0 && n > from) break;
    }
    return keys;
}

/** Reads what a Bicep file declares, line by line: enough to compare it with its ARM JSON. */
export function parseBicep(text: string): BicepFile {
    const lines = text.split(/\r?\n/).map((l) => l.replace(/^\s*\/\/.*$/, ''));
    const file: BicepFile = {
        targetScope: 'resourceGroup', params: new Map(), resources: [], modules: [], outputs: [], appSettingKeys: [],
        moduleParams: new Map(),
    };
    let decorators: string[] = [];
    for (let n = 0; n < lines.length; n++) {
        const line = lines[n];
        const scope = /^targetScope\s*=\s*'([^']+)'/.exec(line);
        if (scope) file.targetScope = scope[1];
        if (/^@/.test(line)) {
            let text = line;
            while (!balanced(text) && n + 1 < lines.length) text += '\n' + lines[++n];
            decorators.push(text);
            continue;
        }
        const param = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(line);
        if (param) {
            const allowed = decorators.find((d) => d.startsWith('@allowed'));
            file.params.set(param[1], {
                type: param[2],
                secure: decorators.some((d) => d.startsWith('@secure()')),
                allowed: allowed ? [...allowed.matchAll(/'([^']*)'/g)].map((m) => m[1]) : undefined,
                hasDefault: Boolean(param[3]),
            });
        }
        const resource = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'/.exec(line);
        if (resource) {
            file.resources.push({ symbol: resource[1], type: resource[2], apiVersion: resource[3] });
            for (let k = n; k < lines.length && !/^}/.test(lines[k]); k++) {
                if (/^\s+name:\s*'appsettings'/.test(lines[k])) {
                    const props = lines.findIndex((l, i) => i > k && /^\s+properties:\s*\{/.test(l));
                    if (props > 0) file.appSettingKeys = blockKeys(lines, props);
                }
            }
        }
        const module = /^module\s+(\w+)\s+'([^']+)'/.exec(line);
        if (module) {
            file.modules.push({ symbol: module[1], path: module[2] });
            const props = lines.findIndex((l, i) => i > n && /^\s+params:\s*\{/.test(l));
            if (props > 0) file.moduleParams.set(module[1], blockKeys(lines, props));
        }
        const output = /^output\s+(\w+)\s/.exec(line);
        if (output) file.outputs.push(output[1]);
        if (line.trim()) decorators = [];
    }
    return file;
}

function balanced(text: string): boolean {
    const stripped = text.replace(/'(?:[^'\\]|\\.)*'/g, '');
    let depth = 0;
    for (const ch of stripped) {
        if (ch === '(' || ch === '[' || ch === '{') depth++;
        if (ch === ')' || ch === ']' || ch === '}') depth--;
    }
    return depth <= 0;
}

const BICEP_TYPES: Record<string, string> = {
    string: 'string', int: 'int', bool: 'bool', object: 'object', array: 'array',
};

/**
 * A Bicep file and its ARM JSON declare the same thing: scope, parameters (type, secure, allowed values, whether
 * there is a default), resource types with their API versions (a module is a nested deployment), outputs and app
 * settings.
 */
export function compareBicepArm(bicep: BicepFile, arm: JsonObject): string[] {
    const faults: string[] = [];
    const schema = String(arm.$schema ?? '');
    const armScope = schema.includes('subscriptionDeploymentTemplate') ? 'subscription' : 'resourceGroup';
    if (bicep.targetScope !== armScope) faults.push(`Bicep targets ${bicep.targetScope}, the ARM JSON ${armScope}`);
    const armParams = isObject(arm.parameters) ? arm.parameters : {};
    const names = new Set([...bicep.params.keys(), ...Object.keys(armParams)]);
    for (const name of names) {
        const b = bicep.params.get(name);
        const a = armParams[name];
        if (!b) {
            faults.push(`parameter ${name} is in the ARM JSON only`);
            continue;
        }
        if (!isObject(a)) {
            faults.push(`parameter ${name} is in the Bicep only`);
            continue;
        }
        const armType = String(a.type).toLowerCase();
        const secure = armType.startsWith('secure');
        const base = secure ? armType.replace('secure', '') : armType;
        if (BICEP_TYPES[b.type] !== base) faults.push(`parameter ${name}: Bicep ${b.type}, ARM ${a.type}`);
        if (b.secure !== secure) faults.push(`parameter ${name}: secure in one file only`);
        if (b.hasDefault !== ('defaultValue' in a)) faults.push(`parameter ${name}: a default in one file only`);
        const armAllowed = Array.isArray(a.allowedValues) ? a.allowedValues.map(String) : undefined;
        if (JSON.stringify(b.allowed) !== JSON.stringify(armAllowed)) {
            faults.push(`parameter ${name}: allowed values differ`);
        }
    }
    const armTypes = new Set(resourcesOf(arm).map(({ resource }) => `${resource.type}@${resource.apiVersion}`));
    const bicepTypes = new Set(bicep.resources.map((r) => `${r.type}@${r.apiVersion}`));
    const armDeployments = resourcesOf(arm)
        .filter(({ resource }) => resource.type === 'Microsoft.Resources/deployments');
    for (const t of bicepTypes) if (!armTypes.has(t)) faults.push(`resource type ${t} is in the Bicep only`);
    for (const t of armTypes) {
        if (!bicepTypes.has(t) && !t.startsWith('Microsoft.Resources/deployments@')) {
            faults.push(`resource type ${t} is in the ARM JSON only`);
        }
    }
    if (armDeployments.length !== bicep.modules.length) {
        faults.push(`${bicep.modules.length} Bicep modules but ${armDeployments.length} nested deployments`);
    }
    const armOutputs = Object.keys(isObject(arm.outputs) ? arm.outputs : {}).sort();
    if (JSON.stringify([...bicep.outputs].sort()) !== JSON.stringify(armOutputs)) faults.push('outputs differ');
    const armSettings = [...appSettings(arm).keys()].sort();
    const inner = nestedTemplates(arm).length > 0;
    if (!inner && JSON.stringify([...bicep.appSettingKeys].sort()) !== JSON.stringify(armSettings)) {
        faults.push(`app settings differ: Bicep ${bicep.appSettingKeys.join(', ')}; ARM ${armSettings.join(', ')}`);
    }
    return faults;
}
