import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCrisisRules } from '../../src/knowledge/taxonomy';
import { buildCrisisModel, detectCrisis } from '../../src/matching/crisis';
import { projectRoot } from '../../src/paths';
import { cpuMs } from '../helpers/cpuTime';

const model = buildCrisisModel(loadCrisisRules(path.join(projectRoot(), 'knowledge')));

function kinds(text: string): string[] {
    return detectCrisis(text, model).kinds;
}

function isCrisis(text: string): boolean {
    return detectCrisis(text, model).crisis;
}

describe('detecting a crisis', () => {
    describe('when a resident says they want to end their life', () => {
        for (const text of ['I want to kill myself', 'thinking of ending it all tonight',
            "I don't want to be alive any more", 'everyone would be better off without me', 'no reason to go on',
            "i'm gonna top myself", 'wanna kms']) {
            it(`answers at once to "${text}"`, () => {
                expect(kinds(text)).to.include('suicide');
            });
        }
    });

    describe('when a resident talks about hurting themselves', () => {
        it('finds self-harm', () => {
            expect(kinds("I've started cutting myself again")).to.include('self-harm');
            expect(kinds('self harm')).to.include('self-harm');
        });
    });

    describe('when someone has taken or is saving pills', () => {
        it('finds an overdose', () => {
            expect(kinds("I've swallowed a whole packet of paracetamol")).to.include('overdose');
            expect(kinds('been stockpiling my tablets')).to.include('overdose');
            expect(kinds('took 40 tablets')).to.include('overdose');
        });

        it('does not mistake everyday medicine for an overdose', () => {
            expect(isCrisis('I take my tablets every morning')).to.equal(false);
            expect(isCrisis('I need to collect my prescription')).to.equal(false);
        });
    });

    describe('when a resident talks about someone else', () => {
        it('hears a friend who will take her pills', () => {
            expect(kinds("my friend says she'll take all her pills")).to.include('overdose');
        });

        it('hears a son who is threatening to kill himself', () => {
            expect(kinds('my son keeps saying he is going to kill himself')).to.include('suicide');
        });

        it('hears a partner who threatens them', () => {
            expect(kinds("he said he'll kill me if I leave")).to.include('danger-at-home');
        });

        it('hears someone who has collapsed', () => {
            expect(kinds("my dad's collapsed and isn't breathing")).to.include('medical-emergency');
        });
    });

    describe('when someone is having a fit (a seizure or convulsion)', () => {
        for (const text of ["my wife's having a convulsion", 'he is having convulsions on the floor',
            'my grandson is fitting', "she's fitting again and her lips look odd", 'my brother keeps seizing',
            'the baby is convulsing', "my daughter's having fits one after another", 'he has gone into a seizure']) {
            it(`finds a medical emergency in "${text}"`, () => {
                expect(kinds(text)).to.include('medical-emergency');
            });
        }
        for (const text of ['my nan will have a fit when she sees the bill', 'is there a keep fit class near me',
            'the fitting room at the charity shop', 'none of my clothes fit any more', 'it fits me fine',
            "he's fitting a new kitchen for us", 'she is fitting in well at the group', 'it seems fitting to go',
            'police are seizing fake goods', 'I laughed until I was convulsed', 'mum was in a fit of giggles']) {
            it(`does not answer "${text}"`, () => {
                expect(isCrisis(text)).to.equal(false);
            });
        }
    });

    describe('when a resident is in danger at home', () => {
        it('finds the danger and not suicide', () => {
            expect(kinds('my husband just hit me and I am scared')).to.deep.equal(['danger-at-home']);
        });

        it('treats "not safe" as both kinds, since we cannot tell who the danger is from', () => {
            expect(kinds("I'm not safe right now")).to.have.members(['suicide', 'danger-at-home']);
        });
    });

    describe('when a resident misspells', () => {
        it('still answers', () => {
            expect(isCrisis('i feel sucidal')).to.equal(true);
            expect(isCrisis('i want to kil myself')).to.equal(true);
        });
    });

    describe('when a message is nothing but a lethal means', () => {
        it('answers', () => {
            expect(isCrisis('noose')).to.equal(true);
            expect(isCrisis('razor blades')).to.equal(true);
        });

        it('does not answer when the word is part of a hobby', () => {
            expect(isCrisis('clay pigeon shooting club')).to.equal(false);
            expect(isCrisis('bridge club on Wednesdays')).to.equal(false);
        });
    });

    describe('when a resident speaks figuratively', () => {
        for (const text of ['this heat is killing me', "I'm dying to get out of the house", "I'm dead tired after work",
            'stuck in a dead end job', 'killing time before my bus', "I'm dying for a cuppa", 'I nearly died laughing',
            "I'm killing myself laughing", 'my phone died', 'first aid course', 'cut my hours at work, money is tight',
            'bored to death', 'I could murder a curry', 'hanging baskets for the garden']) {
            it(`does not answer "${text}"`, () => {
                expect(isCrisis(text)).to.equal(false);
            });
        }
    });

    describe('when a resident talks about suicide services or a past loss', () => {
        it('does not answer a request for bereavement support', () => {
            expect(isCrisis('suicide bereavement support group')).to.equal(false);
            expect(isCrisis('I lost my son to suicide')).to.equal(false);
        });

        it('does not answer a past event', () => {
            expect(isCrisis('I had a stroke last year')).to.equal(false);
        });

        it('does not answer a clear denial', () => {
            expect(isCrisis("I'm not suicidal, just lonely")).to.equal(false);
        });
    });

    describe('when figurative words and real risk come together', () => {
        it('still answers', () => {
            expect(isCrisis("I'm dying to get out of here, I want to kill myself")).to.equal(true);
            expect(isCrisis("I'm not suicidal but I wish I could go to sleep and never wake up")).to.equal(true);
        });
    });

    describe('phrases from the Suicide Risk Lexicon', () => {
        for (const text of ['wish I was dead', 'better off dead', 'hang myself', 'jump off a bridge',
            'take my own life', 'slit my wrists', 'burn myself', 'tried to OD', 'drink myself to death',
            'nothing left to live for']) {
            it(`answers "${text}"`, () => {
                expect(isCrisis(text)).to.equal(true);
            });
        }
    });

    describe('when a resident makes small talk or names a need', () => {
        for (const text of ['hello', 'thanks', "I'm lonely and fed up", 'anxious and stressed',
            'my mum died and I want a group', 'walking group along the canal', '']) {
            it(`does not answer "${text}"`, () => {
                expect(isCrisis(text)).to.equal(false);
            });
        }
    });

    describe('when danger is described rather than named', () => {
        // Other wordings of what the held-out set showed was missed: the fixes must generalise, not learn the set.
        for (const [text, kind] of [
            ["she's put her hands round my throat before", 'danger-at-home'],
            ['my brother pinned me against the wall', 'danger-at-home'],
            ["he's trashing the flat", 'danger-at-home'],
            ["I'm hiding under the bed from my stepdad", 'danger-at-home'],
            ['someone is breaking into our house', 'danger-at-home'],
            ["my mum's mouth is drooping on one side", 'medical-emergency'],
            ["I've got a sharp pain in my chest", 'medical-emergency'],
            ['I dig my nails in till my skin bleeds', 'self-harm'],
            ['I cut myself to feel something', 'self-harm'],
            ["I'll end it tonight", 'suicide'],
            ["my nan says she's ready to die", 'suicide'],
            ['he left a suicide note', 'suicide'],
        ] as const) {
            it(`answers "${text}" as ${kind}`, () => {
                expect(kinds(text)).to.include(kind);
            });
        }

        for (const text of ["I'm ready to go to the group now", "I'm trying to get into my flat, I lost my keys",
            'I go to the gym to feel better', 'I sent a goodbye card to my neighbour',
            "I'd like to end it there for today", 'I hit the shops to feel something new',
            "I'm writing a letter to my MP"]) {
            it(`does not answer "${text}"`, () => {
                expect(isCrisis(text)).to.equal(false);
            });
        }
    });

    describe('when a resident falls, or fears falling', () => {
        // Falls are a need (strength and balance classes), not a crisis; lying on the floor unable to get up is
        // a medical emergency (docs/crisis-wording.md, "Falls").
        for (const text of ['i keep fallin over, need a balance class or summat to stop me falling. BS9',
            'I need a balance class', 'need a balance and strength class', 'my mum keeps falling, shes 84',
            "i'm unsteady on my feet", 'my nan is scared of falling', 'i need a balance board',
            'we need a balance of activities', 'i need a bus pass']) {
            it(`does not answer "${text}"`, () => {
                expect(isCrisis(text)).to.equal(false);
            });
        }
        for (const text of ["I've fallen and can't get up", "my dad has fallen and can't get up",
            "mum fell over and can't move", 'i need an ambulance', 'need an ambu lance', 'call an amb ulance']) {
            it(`answers "${text}" as a medical emergency`, () => {
                expect(kinds(text)).to.include('medical-emergency');
            });
        }
    });

    describe('on the evaluation sets', () => {
        it('finds every crisis, with under 10% false alarms, in the held-out and team sets', () => {
            for (const name of ['heldout-crisis.jsonl', 'paraphrases-crisis.jsonl']) {
                const file = path.join('test/fixtures/eval', name);
                const cases = fs.readFileSync(path.join(projectRoot(), file), 'utf8').split('\n')
                    .filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; crisis: boolean });
                const missed = cases.filter((c) => c.crisis && !isCrisis(c.text)).map((c) => c.text);
                const negatives = cases.filter((c) => !c.crisis);
                const alarms = negatives.filter((c) => isCrisis(c.text));
                expect(missed, `missed crises in ${file}`).to.deep.equal([]);
                expect(alarms.length / negatives.length, `share of false alarms in ${file}`).to.be.below(0.1);
            }
        });
    });

    describe('when a child is being hurt, said by a parent, a sibling, a neighbour or the child', () => {
        it('finds every one in the child set as harm to a child, with at most 1 false alarm in 10 look-alikes', () => {
            const file = 'test/fixtures/eval/paraphrases-crisis-child.jsonl';
            const cases = fs.readFileSync(path.join(projectRoot(), file), 'utf8').split('\n')
                .filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; crisis: boolean });
            const positives = cases.filter((c) => c.crisis);
            const negatives = cases.filter((c) => !c.crisis);
            expect(positives.length).to.be.at.least(40);
            expect(negatives.length).to.be.at.least(40);
            const missed = positives.filter((c) => !kinds(c.text).includes('child-at-risk')).map((c) => c.text);
            expect(missed, 'not found as harm to a child').to.deep.equal([]);
            const alarms = negatives.filter((c) => isCrisis(c.text)).map((c) => c.text);
            expect(alarms.length / negatives.length, `false alarms: ${alarms.join(' | ')}`).to.be.at.most(0.1);
        });
    });

    // A guard against a pathological slowdown, not a speed target (those are printed by npm run eval): about 0.3 ms a
    // message of CPU time, so 3 ms leaves room for a slow machine.
    it('takes well under a few milliseconds a message', () => {
        const texts = ['I feel lonely', 'this heat is killing me', 'I want to end my life',
            'any walking groups near me?'];
        const spent = cpuMs(() => {
            for (let i = 0; i < 250; i++) texts.forEach((t) => detectCrisis(t, model));
        });
        expect(spent / 1000).to.be.below(3);
    });
});
