/**
 * The message back to the GP (src/handoff/plan.ts) from the request as stored: who referred, what the person chose to
 * say about themselves, and nothing Signpost does not hold.
 */
import { expect } from 'chai';
import { gpMessage, mayExport, NOT_COLLECTED } from '../../src/handoff/plan';
import type { SocialPrescribingPlan } from '../../src/storage/escalationRecord';
import { sampleEscalation } from '../storage/contract';

const plan: SocialPrescribingPlan = {
    needsAndConcerns: '', whatMatters: 'Her garden', supportOffered: 'Garden club', outcome: '',
    gpAgreement: 'agreed', gpAgreementAt: '2026-11-26T10:00:00.000Z', recordedAt: '2026-11-26T10:00:00.000Z',
    recordedBy: { id: 'u1', name: 'Sam' },
};
const parts = { serviceName: 'Bristol Signpost', needLabel: (id: string) => `label of ${id}`,
    now: new Date('2026-11-27T09:00:00.000Z'), suggestedByConnector: ['Garden club'] };

describe('the message back to the GP, from a stored request', () => {
    it('says who referred, the name and language the person gave, and "not collected" for what was not written',
        () => {
            const e = sampleEscalation({
                status: 'closed', outcome: 'connected', closedAt: '2026-11-26T11:00:00.000Z',
                assignee: { id: 'u1', name: 'Sam' }, plan,
                contact: { method: 'phone', value: '07700900123', name: 'Mo' },
                language: { code: 'pl', interpreter: true },
                onBehalf: { relation: 'client', professional: true, agrees: 'yes' },
                summary: { needs: ['loneliness'], preferences: [], suggested: [{ id: 'x', name: 'Lunch club' }],
                    crisisShown: false },
            });
            const m = gpMessage(e, parts);
            // Mo asked for a client: Mo is the referrer, not the person; the person's name was never asked.
            expect(m.person).to.deep.equal({ name: NOT_COLLECTED, nhsNumber: NOT_COLLECTED,
                dateOfBirth: NOT_COLLECTED, address: NOT_COLLECTED, gpPractice: NOT_COLLECTED,
                preferredLanguage: 'pl', interpreterNeeded: true });
            expect(m.referrer).to.deep.equal({ relationToThePerson: 'client', professional: true, name: 'Mo',
                personKnowsAndAgrees: 'yes' });
            expect(m.referral).to.deep.equal({ source: 'Referred by a professional, through the Signpost chat',
                dateOfReferral: e.createdAt, reasonForReferral: ['label of loneliness'],
                inTheReferrersWords: NOT_COLLECTED });
            expect(m.needsAndConcerns).to.deep.equal({ needs: ['label of loneliness'], notes: NOT_COLLECTED });
            expect(m.supportOfferedAndReferredTo).to.deep.equal({ notes: 'Garden club',
                suggestedInTheChat: ['Lunch club'], suggestedByTheLinkWorker: ['Garden club'] });
            expect(m.outcome).to.deep.equal({ result: 'connected', notes: NOT_COLLECTED });
            expect(m.socialPrescribingService).to.deep.equal({ service: 'Bristol Signpost', linkWorker: 'Sam',
                dateOfFirstContact: NOT_COLLECTED, dateClosed: '2026-11-26T11:00:00.000Z' });
            expect(JSON.stringify(m)).to.not.include('07700900123').and.not.include('u1');
        });

    it('names the person who asked for themselves, with their own words, and no referrer', () => {
        const e = sampleEscalation({
            status: 'closed', assignee: { id: 'u1', name: 'Sam' }, plan,
            contact: { method: 'phone', value: '07700900123', name: 'Mo' },
            summary: { needs: ['loneliness'], inOwnWords: 'I feel alone', preferences: [], suggested: [],
                crisisShown: false },
        });
        const m = gpMessage(e, parts);
        expect(m.person.name).to.equal('Mo');
        expect(m.referrer).to.equal(undefined);
        expect(m.referral).to.include({ source: 'Self-referral, through the Signpost chat',
            inTheirOwnWords: 'I feel alone' });
    });

    it('on behalf of a family member: the person is not named, the asker is the referrer, and the words are theirs',
        () => {
            const e = sampleEscalation({
                status: 'closed', assignee: { id: 'u1', name: 'Sam' }, plan,
                contact: { method: 'phone', value: '07700900123' },
                onBehalf: { relation: 'parent', word: 'mum', professional: false },
                summary: { needs: ['loneliness'], inOwnWords: 'My mum is lonely', preferences: [], suggested: [],
                    crisisShown: false },
            });
            const m = gpMessage(e, parts);
            expect(m.person.name).to.equal(NOT_COLLECTED);
            expect(m.referrer).to.deep.equal({ relationToThePerson: 'mum', professional: false, name: NOT_COLLECTED,
                personKnowsAndAgrees: NOT_COLLECTED });
            expect(m.referral).to.include({ inTheReferrersWords: 'My mum is lonely' });
            expect(m.referral).to.not.have.property('inTheirOwnWords');
        });

    it('is refused for an open request, another connector\'s, or without agreement; a lead may export any closed one',
        () => {
            const sam = { id: 'u1', name: 'Sam', lead: false };
            const robin = { id: 'u2', name: 'Robin', lead: false };
            const lee = { id: 'u3', name: 'Lee', lead: true };
            const closed = sampleEscalation({ status: 'closed', assignee: { id: 'u1', name: 'Sam' }, plan });
            expect(mayExport(closed, sam)).to.equal(undefined);
            expect(mayExport(closed, lee)).to.equal(undefined);
            expect(mayExport(closed, robin)).to.deep.equal({ refused: 'not-yours', holder: { id: 'u1', name: 'Sam' } });
            expect(mayExport({ ...closed, status: 'in-contact' }, sam))
                .to.deep.equal({ refused: 'wrong-status', status: 'in-contact' });
            expect(mayExport({ ...closed, plan: { ...plan, gpAgreement: 'not-asked' } }, sam))
                .to.deep.equal({ refused: 'no-agreement' });
            expect(mayExport({ ...closed, plan: undefined }, lee)).to.deep.equal({ refused: 'no-agreement' });
            expect(mayExport(undefined, lee)).to.deep.equal({ refused: 'not-found' });
        });
});
