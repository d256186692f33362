import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importDirectory } from '../../src/import/importer';
import { reviewPath, reviewRecord, formatReview } from '../../src/import/review';
import type { ReviewRecord } from '../../src/import/review';
import { tempDir } from '../helpers/tmp';
import { FIXTURES, SHARED_DATA, TODAY } from './helpers';

const TODAY_ISO = TODAY.toISOString().slice(0, 10);

/** A record that needs no fixing: contact, place, price, checked lately, a need. */
function good(extra: Partial<ReviewRecord> = {}): ReviewRecord {
    return {
        id: 'ok', name: 'Tuesday Walking Group', description: 'A friendly weekly walk for anyone who wants company.',
        phone: '01724 297000', attending_type: ['in-person'], location: { postal_code: 'DN15 6NL' },
        cost_options: [], needs: ['physical-activity'], assured_date: '2026-10-01', organization: { name: 'Walkers' },
        ...extra,
    };
}

const flagsOf = (r: ReviewRecord): string[] => reviewRecord(r, { today: TODAY_ISO }).map((f) => f.flag);

describe('kb review: what a directory team should fix (issue 17 part 5)', () => {
    it('finds nothing to fix in a complete, fresh record', () => {
        expect(flagsOf(good())).to.deep.equal([]);
    });

    it('flags no way to contact, no place, and no need', () => {
        expect(flagsOf(good({ phone: undefined }))).to.deep.equal(['no-contact']);
        expect(flagsOf(good({ location: undefined }))).to.deep.equal(['no-place']);
        expect(flagsOf(good({ location: undefined, attending_type: ['phone'] }))).to.deep.equal([]);
        expect(flagsOf(good({ location: undefined, area_served: 'North Lincolnshire' }))).to.deep.equal([]);
        expect(flagsOf(good({ needs: [] }))).to.deep.equal(['no-need']);
    });

    it('flags a cost that is unclear, and one that contradicts itself', () => {
        expect(flagsOf(good({ cost_unknown: true }))).to.deep.equal(['cost-unclear']);
        expect(flagsOf(good({ description: 'Free parking. Classes are free for members, £4 per class for others.',
            cost_options: [{ amount: 4, currency: 'GBP' }] }))).to.deep.equal(['cost-contradictory']);
        expect(flagsOf(good({ description: 'This service is free of charge for everyone who needs it.',
            cost_options: [{ amount: 10, currency: 'GBP' }] }))).to.deep.equal(['cost-contradictory']);
    });

    it('flags a record past the stale limit ranking uses, counting the later of its two dates', () => {
        expect(flagsOf(good({ assured_date: '2024-12-10' }))).to.deep.equal(['stale']);
        expect(flagsOf(good({ assured_date: '2024-12-10', last_modified: '2026-09-01T10:00:00Z' }))).to.deep.equal([]);
    });

    it('flags seasonal and ended items', () => {
        expect(flagsOf(good({ name: 'Warm Space at St Mark\'s', description: 'A warm space open through the winter '
            + 'months with hot drinks.' }))).to.deep.equal(['seasonal-or-ended']);
        expect(flagsOf(good({ description: 'This group has now closed. Thank you to everyone who came.' })))
            .to.deep.equal(['seasonal-or-ended']);
        expect(flagsOf(good({ description: 'Sessions run until 31 March 2025 at the library.' })))
            .to.deep.equal(['seasonal-or-ended']);
        expect(flagsOf(good({ description: 'Established in 2015, we meet every week at the library.' })))
            .to.deep.equal([]);
        expect(flagsOf(good({ description: 'Saturday mornings on set dates through the season.' })))
            .to.deep.equal(['seasonal-or-ended']);
        expect(flagsOf(good({ name: 'Christmas Lunch', description: 'A festive lunch for older people.' })))
            .to.deep.equal(['seasonal-or-ended']);
        for (const description of ['A warm welcome awaits at our weekly coffee morning.',
            'Our lunch club meets weekly and we end the year with a Christmas lunch.',
            'The group started in July 2019 and meets weekly.',
            'We meet weekly; closed over Christmas. Walks may be cancelled in bad weather.',
            'The hall is closed on Mondays. We meet indoors during the winter months.']) {
            expect(flagsOf(good({ description })), description).to.deep.equal([]);
        }
    });

    it('flags businesses and one-off events, not services that mention tickets or a fair price', () => {
        expect(flagsOf(good({ name: 'The Beatles Tribute Night', description: 'Live music from the best tribute '
            + 'band in the county. Tickets £15/£17 OTD. Doors open 7pm.', cost_options: [{ amount: 15,
                currency: 'GBP' }] })))
            .to.deep.equal(['not-a-service']);
        expect(flagsOf(good({ name: 'Smith Roofing Ltd', organization: { name: 'Smith Roofing Ltd' },
            description: 'Family run business offering roofing and guttering. Call for a free quote.' })))
            .to.deep.equal(['not-a-service']);
        for (const [name, description] of [
            ['Sue Smith Band', 'Folk singer-songwriter touring her new album, with support from a local band. £12.'],
            ['Laughs at the Hall', 'A comedy club night with three stand-up comedians.'],
            ['Fit With Jo', 'Personal trainer offering 1-2-1 sessions. Packages from £30.'],
            ['Roman Lincolnshire', 'A temporary exhibition at the museum, on display until the spring.'],
        ]) {
            // A temporary exhibition is time-limited too.
            expect(flagsOf(good({ name, description, cost_options: [{ amount: 12, currency: 'GBP' }] })), name)
                .to.deep.equal(name === 'Roman Lincolnshire' ? ['not-a-service', 'seasonal-or-ended'] : [
                    'not-a-service']);
        }
        expect(flagsOf(good({ description: 'A friendly coffee morning. Entry is free and there is a raffle.' })))
            .to.deep.equal([]);
        expect(flagsOf(good({ description: 'Coffee morning with home made cakes for sale. The hall is available '
            + 'to hire at competitive rates.' }))).to.deep.equal([]);
    });

    it('does not flag a charity as a business for "Limited", a trade word or its charity shop', () => {
        // Charities are often companies limited by guarantee, and advise on the trades' subjects.
        for (const [name, org, description] of [
            ['Citizens Advice North Lincolnshire', 'Citizens Advice North Lincolnshire Limited',
                'Free, confidential advice on debt, benefits, housing, mortgages and consumer problems.'],
            ['Age UK Lindsey', 'Age UK Lindsey Ltd', 'Information and advice for older people, including help with '
                + 'insurance, pensions and paying for care.'],
            ['Hospice Charity Shop', 'St Andrew\'s Hospice', 'Our charity shop sells donated clothes and books to '
                + 'raise funds. Volunteers welcome.'],
            ['Money Advice', 'Lincs Money Advice Ltd', 'Help with debt and insurance. A registered charity: we '
                + 'never charge and can get you a quote-free budget plan.'],
            ['Legal Clinic', 'Law Centre Limited', 'Free advice from volunteer solicitors and accountants, one '
                + 'evening a month.'],
        ]) {
            expect(flagsOf(good({ name: name!, organization: { name: org! }, description: description! })), name)
                .to.deep.equal([]);
        }
    });

    it('flags a firm selling insurance, mortgages or legal and accounts work by its selling words', () => {
        expect(flagsOf(good({ name: 'Brigg Mortgages', organization: { name: 'Brigg Mortgages Ltd' },
            description: 'Independent advice on mortgages and insurance. Book your free consultation; our fees '
                + 'are fixed.' }))).to.deep.equal(['not-a-service']);
        expect(flagsOf(good({ name: 'Smith & Co', organization: { name: 'Smith & Co Solicitors LLP' },
            description: 'Solicitors for wills and conveyancing, with fixed fees for our clients.' })))
            .to.deep.equal(['not-a-service']);
    });

    it('flags a seller by its selling words: "buying for yourself or a loved one?", "order yours today"', () => {
        expect(flagsOf(good({ name: 'Pendant Alarms', description: 'Alarms for the elderly, worn on the wrist. '
            + 'Buying for yourself or a loved one? We can help.' }))).to.deep.equal(['not-a-service']);
        expect(flagsOf(good({ name: 'Easy Chairs', description: 'Riser recliner chairs. Order yours today with '
            + 'free delivery.' }))).to.deep.equal(['not-a-service']);
        expect(flagsOf(good({ description: 'A friendly group. Buying a round is never expected; order a tea.' })))
            .to.deep.equal([]);
    });

    it('writes what kb review flags into the imported listing (looks_like), and nothing into a service', async () => {
        const tmp = tempDir('signpost-review-');
        try {
            const feed = [
                { id: 'alarm', name: 'Pendant Alarms', status: 'active', assured_date: '2026-10-01',
                    description: '<p>Alarms for older people. Buying for yourself or a loved one? We can help.</p>',
                    organization: { name: 'Alarms Direct' } },
                { id: 'gig', name: 'The Folk Night', status: 'active', assured_date: '2026-10-01',
                    description: '<p>A singer-songwriter on tour with her new album. Tickets £12 OTD.</p>',
                    organization: { name: 'The Hall' } },
                { id: 'club', name: 'Over 60s Club', status: 'active', assured_date: '2026-10-01',
                    description: '<p>A friendly club for older people with tea, chat and bingo.</p>',
                    organization: { name: 'Community Centre' } },
            ];
            const source = path.join(tmp.dir, 'feed.json');
            fs.writeFileSync(source, JSON.stringify(feed));
            const out = path.join(tmp.dir, 'kb');
            const report = await importDirectory({ source, format: 'oruk', outDir: out, progress: false, today: TODAY });
            const records = JSON.parse(fs.readFileSync(path.join(out, report.file), 'utf8')).opportunities as
                { id: string; looks_like?: string }[];
            expect(Object.fromEntries(records.map((r) => [r.id, r.looks_like ?? null])))
                .to.deep.equal({ alarm: 'business', gig: 'event', club: null });
            const review = await reviewPath(out, { today: TODAY });
            const flagged = review.items.filter((i) => i.flags.some((f) => f.flag === 'not-a-service')).map((i) => i.id);
            expect(flagged.sort()).to.deep.equal(['alarm', 'gig']);
        } finally {
            tmp.remove();
        }
    });

    it('reviews an imported knowledge folder, counts first and then the records, as text and JSON', async () => {
        const tmp = tempDir('signpost-review-');
        try {
            const feed = [{ id: 'a', name: 'Old Warm Space', description: '<p>A warm space for winter 2022.</p>',
                status: 'active', assured_date: '2023-01-05', organization: { name: 'Church' } }];
            const source = path.join(tmp.dir, 'feed.json');
            fs.writeFileSync(source, JSON.stringify(feed));
            const review = await reviewPath(source, { today: TODAY, format: 'oruk' });
            expect(review.records).to.equal(1);
            const item = review.items[0];
            expect(item?.id).to.equal('a');
            expect(item?.flags.map((f) => f.flag)).to.include.members(['stale', 'seasonal-or-ended', 'no-contact']);
            expect(review.counts.stale).to.equal(1);
            const text = formatReview(review);
            expect(text.indexOf('stale')).to.be.lessThan(text.indexOf('Old Warm Space'));
            expect(JSON.parse(JSON.stringify(review)).items[0].flags[0]).to.have.keys(['flag', 'detail']);
        } finally {
            tmp.remove();
        }
    });

    it('flags no need exactly when kb import finds none (both read a service\'s words with the service labeller)',
        async () => {
            const tmp = tempDir('signpost-review-');
            try {
                // The residents' lexicon reads "email" as learning, "friend" as loneliness and "university" as
                // learning; the importer's service labeller finds no need here, and review must say so.
                const feed = [{ id: 'payroll', name: 'Payroll Services Ltd', status: 'active',
                    description: '<p>We offer payroll and bookkeeping for local firms. Email us or bring a friend '
                        + 'along to find out about our university links.</p>',
                    assured_date: '2026-01-05', organization: { name: 'Payroll Services Ltd' } }];
                const source = path.join(tmp.dir, 'feed.json');
                fs.writeFileSync(source, JSON.stringify(feed));
                await importDirectory({ source, format: 'oruk', outDir: path.join(tmp.dir, 'kb'), progress: false,
                    today: TODAY });
                const imported = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'kb', 'directory', 'feed.json'),
                    'utf8')) as { opportunities: { needs: string[] }[] };
                expect(imported.opportunities[0]?.needs).to.deep.equal([]);
                const review = await reviewPath(source, { today: TODAY, format: 'oruk' });
                expect(review.items[0]?.flags.map((f) => f.flag)).to.include('no-need');
            } finally {
                tmp.remove();
            }
        });

    it('reviews the ORUK fixture feed, including records the importer skips for having no need', async () => {
        const review = await reviewPath(path.join(FIXTURES, 'oruk-v1', 'services.json'), { today: TODAY });
        const noNeed = review.items.find((i) => i.id === 'oruk-no-needs');
        expect(noNeed?.flags.map((f) => f.flag)).to.include('no-need');
    });

    describe('the shared feeds', function () {
        before(function () {
            if (!fs.existsSync(SHARED_DATA)) this.skip();
        });

        it('works on the North Lincolnshire folder', async function () {
            this.timeout(60_000);
            const review = await reviewPath(path.join(SHARED_DATA, 'oruk-north-lincolnshire'), { today: TODAY });
            expect(review.records).to.equal(738);
            expect(review.format).to.equal('oruk');
            // Every record of this feed was last assured in 2024: all stale on the fixed day.
            expect(review.counts.stale).to.equal(738);
            expect(review.counts['no-place']).to.be.greaterThan(600);
            expect(review.counts['seasonal-or-ended']).to.be.greaterThan(10);
            expect(review.counts['not-a-service']).to.be.greaterThan(10);
        });

        it('works on the HSDS 3 example folder', async () => {
            const review = await reviewPath(path.join(SHARED_DATA, 'hsds3-spec-examples'), { today: TODAY });
            expect(review.records).to.equal(1);
            expect(review.format).to.equal('hsds');
            expect(review.items[0]?.name).to.equal('Community Counselling');
            expect(review.counts['no-need']).to.equal(0);
        });
    });
});
