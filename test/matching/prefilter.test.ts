/**
 * The crisis check's prefilters (issue 15): rules joined as one expression must match exactly where one of the rules
 * does, or the check would skip a language whose rules fire. Seeded property tests over the shipped rules.
 */
import { expect } from 'chai';
import path from 'node:path';
import fc from 'fast-check';
import { loadKnowledge } from '../../src/knowledge';
import { anyOf } from '../../src/matching/crisis';
import { buildLanguageCrisisModel, detectLanguageCrisis } from '../../src/matching/crisisLanguages';
import { projectRoot } from '../../src/paths';

const knowledge = loadKnowledge(path.join(projectRoot(), 'knowledge'));

describe('the crisis check\'s prefilters', () => {
    it('match a text exactly when one of the joined expressions does', () => {
        const expressions = [/\bkill(?:ing)? myself\b/, /(?<!not )\bend it\b/, /^overdose$/];
        const joined = anyOf(expressions) as RegExp;
        const words = ['kill', 'killing', 'myself', 'not', 'end', 'it', 'overdose', 'tea', ' '];
        fc.assert(fc.property(fc.array(fc.constantFrom(...words), { maxLength: 6 }), (said) => {
            const text = said.join(' ');
            expect(joined.test(text)).to.equal(expressions.some((e) => e.test(text)));
        }), { numRuns: 500, seed: 15 });
    });

    it('are not made where joining would change what an expression means', () => {
        expect(anyOf([/(a)\1/, /b/])).to.equal(undefined);
        expect(anyOf([/(?<word>a)\k<word>/, /b/])).to.equal(undefined);
        expect(anyOf([/a/i, /b/])).to.equal(undefined);
        expect(anyOf([])).to.equal(undefined);
        // The global flag of the exclusions is left out: the joined expression keeps no place between reads.
        expect(anyOf([/a/g, /b/g])?.flags).to.equal('');
    });

    it('leave every language with one, made from its own rules, so a rule added later is in it', () => {
        const model = buildLanguageCrisisModel(knowledge.languages ?? []);
        expect(model.languages.length).to.be.above(0);
        for (const language of model.languages) {
            expect(language.anyRule, language.code).to.be.instanceOf(RegExp);
        }
        // A rule written for this test, in a file of its own, is found through the prefilter.
        const file = structuredClone((knowledge.languages ?? [])[0]!);
        file.crisis.rules = [{ kind: file.crisis.rules[0]!.kind, pattern: '\\bzzyzx quorble\\b' }];
        file.crisis.exclusions = [];
        const added = buildLanguageCrisisModel([file]);
        expect(detectLanguageCrisis('i zzyzx quorble now', added).languages).to.deep.equal([file.code]);
        expect(detectLanguageCrisis('i zzyzx now', added).languages).to.deep.equal([]);
    });
});
