import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
    flatten, LOCALE_WORDING_FILE, LOCALES_DIR, loadLocaleFiles, localeCodes, mergeLocale, placeholders, stampLocale,
} from '../../src/knowledge/locales';
import { COMMANDS, inTurnLocale, loadWording, type Command } from '../../src/knowledge/wording';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = path.join(projectRoot(), 'knowledge');
const english = JSON.parse(fs.readFileSync(path.join(KNOWLEDGE, 'wording.json'), 'utf8')) as Record<string, unknown>;

/** A copy of the shipped wording and locales in a folder of its own, to edit as a council would. */
function copyWording(dir: string): void {
    fs.copyFileSync(path.join(KNOWLEDGE, 'wording.json'), path.join(dir, 'wording.json'));
    for (const code of localeCodes(KNOWLEDGE)) {
        fs.mkdirSync(path.join(dir, LOCALES_DIR, code), { recursive: true });
        fs.copyFileSync(path.join(KNOWLEDGE, LOCALES_DIR, code, LOCALE_WORDING_FILE),
            path.join(dir, LOCALES_DIR, code, LOCALE_WORDING_FILE));
    }
}

describe('the wording in other languages (knowledge/locales)', () => {
    const locales = loadLocaleFiles(KNOWLEDGE);

    it('ships Welsh and Polish, each marked as not yet reviewed by a fluent speaker', () => {
        expect(locales.map((l) => l.locale)).to.include.members(['cy', 'pl']);
        for (const l of locales.filter((f) => ['cy', 'pl'].includes(f.locale))) expect(l.reviewed, l.locale).to.equal(false);
    });

    for (const code of localeCodes(KNOWLEDGE)) {
        describe(code, () => {
            const file = () => locales.find((l) => l.locale === code) as (typeof locales)[number];

            it('has every key of the English wording, with the same placeholders', () => {
                const { coverage } = mergeLocale(english, file());
                expect(coverage.missing, 'keys not translated').to.deep.equal([]);
                expect(coverage.placeholderMismatch, 'keys with other {placeholders} than the English').to.deep.equal([]);
                // Keys the English does not have yet are allowed (translated ahead of a newer English) and ignored.
                expect(coverage.translated).to.equal(coverage.total);
                const en = flatten(english);
                for (const [key, leaf] of flatten(file())) {
                    if (typeof leaf === 'string' && en.has(key)) {
                        expect(placeholders(leaf), key).to.deep.equal(placeholders(en.get(key) as string));
                    }
                }
            });

            it('was translated from today\'s English (else: translate the keys named, then kb locales --stamp)', () => {
                expect(mergeLocale(english, file()).coverage.stale).to.deep.equal([]);
            });

            it('names every crisis route of crisis.json', () => {
                const crisis = JSON.parse(fs.readFileSync(path.join(KNOWLEDGE, 'crisis.json'), 'utf8')) as {
                    routes: { id: string; phone?: string; sms?: string }[];
                };
                for (const route of crisis.routes) {
                    const local = file().crisisRoutes[route.id];
                    expect(local, route.id).to.not.equal(undefined);
                    // The number is the one crisis.json gives: a translation never changes a number to call.
                    if (route.phone) expect(local.how, route.id).to.include(route.phone);
                    if (route.sms) expect(local.how, route.id).to.include(route.sms);
                }
            });

            it('is not English: most sentences differ from the English one', () => {
                const en = flatten(english);
                const texts = [...flatten(file())].filter(([k, v]) => k.startsWith('text.') && typeof v === 'string');
                const same = texts.filter(([k, v]) => v === en.get(k) && placeholders(v as string).length === 0);
                // A label such as "BSL" or "Shout" may stay as it is; a sentence may not.
                expect(same.map(([k]) => k)).to.have.length.below(4);
            });

            it('takes no command, yes or choice of language from English with another meaning', () => {
                const wording = loadWording(KNOWLEDGE);
                const englishCommands = english.commands as Record<Command, string[]>;
                for (const command of COMMANDS) {
                    for (const phrase of englishCommands[command]) expect(wording.command(phrase), phrase).to.equal(command);
                }
                const theirs = file().commands as Record<Command, string[]>;
                for (const command of COMMANDS) {
                    for (const phrase of theirs[command]) expect(wording.command(phrase), phrase).to.equal(command);
                }
                for (const word of file().choose) expect(wording.command(word), word).to.equal(undefined);
                expect(wording.chosenLocale(file().nativeName)).to.equal(code);
            });
        });
    }
});

describe('a council\'s own edits to the English wording', () => {
    const tmp = tempDir();
    after(() => tmp.remove());

    it('keeps the translation of a sentence whose English changed, and says it is stale', () => {
        copyWording(tmp.dir);
        const file = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'wording.json'), 'utf8'));
        file.text.askCost = 'Does it have to be free of charge?';
        fs.writeFileSync(path.join(tmp.dir, 'wording.json'), JSON.stringify(file));
        const wording = loadWording(tmp.dir);
        expect(wording.text('askCost')).to.equal('Does it have to be free of charge?');
        expect(inTurnLocale('cy', () => wording.text('askCost'))).to.equal('Oes angen iddo fod am ddim?');
        const welsh = loadLocaleFiles(tmp.dir).find((l) => l.locale === 'cy');
        expect(mergeLocale(file, welsh as NonNullable<typeof welsh>).coverage.stale).to.deep.equal(['text.askCost']);
    });

    it('says a sentence in English when its English now needs other placeholders, and still starts', () => {
        copyWording(tmp.dir);
        const file = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'wording.json'), 'utf8'));
        file.text.whereGot = 'Thanks, I\'ll look near {place} for {serviceName}.';
        fs.writeFileSync(path.join(tmp.dir, 'wording.json'), JSON.stringify(file));
        const wording = loadWording(tmp.dir);
        const said = inTurnLocale('pl', () => wording.text('whereGot', { place: 'BS5', serviceName: 'Signpost' }));
        expect(said).to.equal('Thanks, I\'ll look near BS5 for Signpost.');
        const polish = loadLocaleFiles(tmp.dir).find((l) => l.locale === 'pl');
        const { coverage } = mergeLocale(file, polish as NonNullable<typeof polish>);
        expect(coverage.placeholderMismatch).to.deep.equal(['text.whereGot']);
    });

    it('says a sentence the locale does not have in English, and stamping records today\'s English', () => {
        copyWording(tmp.dir);
        const localeFile = path.join(tmp.dir, LOCALES_DIR, 'cy', LOCALE_WORDING_FILE);
        const welsh = JSON.parse(fs.readFileSync(localeFile, 'utf8'));
        delete welsh.text.narrowNo;
        welsh.text.askCost = 'Oes rhaid iddo fod am ddim?';
        fs.writeFileSync(localeFile, JSON.stringify(welsh));
        const wording = loadWording(tmp.dir);
        expect(inTurnLocale('cy', () => wording.text('narrowNo'))).to.equal('OK, no problem.');
        const file = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'wording.json'), 'utf8'));
        file.text.askCost = 'Does it have to be free of charge?';
        fs.writeFileSync(path.join(tmp.dir, 'wording.json'), JSON.stringify(file));
        const before = loadLocaleFiles(tmp.dir).find((l) => l.locale === 'cy') as NonNullable<ReturnType<typeof loadLocaleFiles>[number]>;
        expect(mergeLocale(file, before).coverage.stale).to.deep.equal(['text.askCost']);
        expect(mergeLocale(file, before).coverage.missing).to.deep.equal(['text.narrowNo']);
        stampLocale(tmp.dir, file, 'cy');
        const after = loadLocaleFiles(tmp.dir).find((l) => l.locale === 'cy') as typeof before;
        expect(mergeLocale(file, after).coverage.stale).to.deep.equal([]);
    });

    it('refuses to start on a locale whose button is too long, naming the file and key', () => {
        copyWording(tmp.dir);
        const localeFile = path.join(tmp.dir, LOCALES_DIR, 'pl', LOCALE_WORDING_FILE);
        const polish = JSON.parse(fs.readFileSync(localeFile, 'utf8'));
        polish.buttons.skip = 'Pomiń to pytanie, bardzo proszę, naprawdę, dziękuję';
        fs.writeFileSync(localeFile, JSON.stringify(polish));
        expect(() => loadWording(tmp.dir)).to.throw(/locales\/pl\/wording\.json.*buttons\.skip/);
    });
});
