import { expect } from 'chai';
import {
    readVenue, readDelivery, readEmails, readForWhom, readPhones, readPrice, readProse, readSchedules,
} from '../../src/import/prose';

const desc = (text: string): { field: string; text: string }[] => [{ field: 'description', text }];

describe('reading a service\'s prose at import', () => {
    describe('phone numbers', () => {
        it('finds UK numbers in the shapes directories write them', () => {
            const found = readPhones(desc('Call us on 01724 297000 or (01652) 650 100. Mobile: 07700-900123. '
                + 'Freephone 0800 123 4567, or +44 (0)1472 123456. Samaritans on 116 123.'));
            expect(found.map((p) => p.value)).to.deep.equal([
                '01724 297000', '01652 650100', '07700 900123', '0800 123 4567', '01472 123456', '116 123',
            ]);
            expect(found[0]?.from).to.equal('description');
            expect(found[0]?.span).to.contain('01724 297000');
        });

        it('leaves out a private person\'s mobile, and keeps a service named like a person', () => {
            const found = readPhones(desc('For details contact our volunteer Jane Smith on 07700 900123. Ring Mrs '
                + 'Jones 07700 900456 or call Sarah on 07700900789. Mobile: 07700-900111. Call Citizens Advice on '
                + '0800 144 8848. Or text our mobile on 07700 900222.'));
            expect(found.map((f) => f.value)).to.deep.equal(['07700 900111', '0800 144 8848', '07700 900222']);
        });

        it('leaves out emergency numbers, dates, charity numbers and money', () => {
            const found = readPhones(desc('In an emergency call 999 or 111. Registered charity no. 1098765. '
                + 'Founded 12/03/2019. Grants of £10,000 available. Company number 08123456.'));
            expect(found).to.deep.equal([]);
        });
    });

    describe('e-mail addresses', () => {
        it('finds the service\'s addresses and leaves out a private person named in passing', () => {
            const found = readEmails(desc('E-mail info@ashbyhub.org.uk for details. Our volunteer Jane Smith '
                + '(jane.smith@gmail.com) started the group. Bookings: bookings@ashbyhub.org.uk.'));
            expect(found.map((e) => e.value)).to.deep.equal(['info@ashbyhub.org.uk', 'bookings@ashbyhub.org.uk']);
        });
    });

    describe('long texts', () => {
        /** Milliseconds a reader takes on a text. */
        const timed = (read: () => unknown): number => {
            const started = performance.now();
            read();
            return performance.now() - started;
        };

        it('reads e-mail addresses from 100 KB of dotted, dashed or @-strewn text in linear time', () => {
            for (const filler of ['a.'.repeat(50_000), '10-'.repeat(33_000), `a@${'b.'.repeat(50_000)}`]) {
                const text = `${filler} Write to info@ashbyhub.org.uk.`;
                expect(timed(() => readEmails(desc(text))), filler.slice(0, 6)).to.be.below(300);
                expect(readEmails(desc(text)).map((e) => e.value)).to.include('info@ashbyhub.org.uk');
            }
        });

        it('reads ages from 200 KB of "+44" or "aged 18" in linear time', () => {
            for (const filler of ['+44 '.repeat(50_000), 'aged 18 '.repeat(25_000)]) {
                const text = `${filler} For people aged 60 and over.`;
                expect(timed(() => readForWhom(desc(text))), filler.slice(0, 8)).to.be.below(500);
                expect(readForWhom(desc(text)).map((f) => f.value)).to.include('60+');
            }
        });

        it('reads a catchment after a long run of "St St St" in linear time', () => {
            const text = `${Array.from({ length: 40 }, () => 'St').join(' ')} x. For people living nearby. Open to St `
                + 'Helens residents.';
            expect(timed(() => readForWhom(desc(text)))).to.be.below(300);
            expect(readForWhom(desc(text)).map((f) => f.value)).to.include('St Helens');
        });
    });

    describe('prices', () => {
        it('reads a price said of sessions, classes or lessons in the plural', () => {
            expect(readPrice(desc('Free parking. Sessions are £5.'))).to.include({ kind: 'amount', amount: 5 });
            expect(readPrice(desc('Classes are £4 and last an hour.'))).to.include({ kind: 'amount', amount: 4 });
            expect(readPrice(desc('Lessons £12.'))).to.include({ kind: 'amount', amount: 12 });
        });

        it('takes no price from what parking or refreshments cost', () => {
            expect(readPrice(desc('Entry is free. Parking costs £3.'))).to.include({ kind: 'free' });
            expect(readPrice(desc('The group is free to attend. Refreshments £1.'))).to.include({ kind: 'free' });
            expect(readPrice(desc('Car parking is £2 per day. Sessions cost £5.'))).to.include({ kind: 'amount',
                amount: 5 });
        });

        it('reads a stated price with what it is for', () => {
            expect(readPrice(desc('Sessions cost £5 per session.'))).to.include({ kind: 'amount', amount: 5 });
            expect(readPrice(desc('The hall can be hired at £14 per hour.'))).to.include({ kind: 'amount',
                amount: 14 });
            expect(readPrice(desc('Just £2.50 a week, including tea and biscuits.')))
                .to.include({ kind: 'amount', amount: 2.5 });
        });

        it('reads pay as you can and donations', () => {
            expect(readPrice(desc('Lunch is pay as you can.'))?.kind).to.equal('pay-what-you-can');
            expect(readPrice(desc('Pay what you feel for your meal.'))?.kind).to.equal('pay-what-you-can');
            expect(readPrice(desc('Donations welcome.'))?.kind).to.equal('donation');
            expect(readPrice(desc('Donations of food are collected at the door.'))).to.equal(undefined);
        });

        it('is free only when the text says the service is free', () => {
            expect(readPrice(desc('This is a free service open to all.'))?.kind).to.equal('free');
            expect(readPrice(desc('Sessions are free of charge.'))?.kind).to.equal('free');
            expect(readPrice(desc('We provide free and confidential support.'))?.kind).to.equal('free');
            expect(readPrice(desc('A free, confidential helpline.'))?.kind).to.equal('free');
            expect(readPrice(desc('It is completely free to attend.'))?.kind).to.equal('free');
        });

        it('does not take "feel free", "stress-free", parking, quotes or "free from abuse" for a price', () => {
            for (const text of [
                'Please feel free to call us for a chat.',
                'A stress-free way to get moving.',
                'There is free parking on site.',
                'Call for a free quote on garden work.',
                'Everyone deserves a life free from abuse.',
                'Come along in your free time.',
                'Our venue is smoke-free and alcohol free.',
                'Freephone 0800 123 4567.',
                'Gentle walks on traffic free paths.',
                'The route is flat and traffic free.',
            ]) {
                expect(readPrice(desc(text)), text).to.equal(undefined);
            }
        });

        it('lets a stated price win over "free", and says the two disagree', () => {
            const price = readPrice(desc('Free parking. Classes are free for members, £4 per class for others.'));
            expect(price).to.include({ kind: 'amount', amount: 4, contradicts: true });
        });

        it('does not take other money for a price', () => {
            expect(readPrice(desc('Grants of up to £500 for local groups.'))).to.equal(undefined);
            expect(readPrice(desc('We helped residents save £300 on their bills.'))).to.equal(undefined);
            expect(readPrice(desc('We raised £2,000 last year.'))).to.equal(undefined);
        });

        it('reads a charge without an amount as a charge (cost unclear)', () => {
            expect(readPrice(desc('There is a small charge for materials.'))?.kind).to.equal('charge');
            expect(readPrice(desc('Open to paid-up members of the U3A.'))?.kind).to.equal('charge');
            expect(readPrice(desc('An annual membership fee applies.'))?.kind).to.equal('charge');
        });
    });

    describe('how it is delivered', () => {
        it('reads helplines, online, home visits and in person, and says nothing when the text does not', () => {
            expect(readDelivery(desc('A free confidential helpline open 24 hours.')).map((d) => d.value))
                .to.deep.equal(['phone']);
            expect(readDelivery(desc('Weekly online sessions via Zoom.')).map((d) => d.value))
                .to.deep.equal(['online']);
            expect(readDelivery(desc('Our volunteers visit you in your own home.')).map((d) => d.value))
                .to.deep.equal(['home-visit']);
            expect(readDelivery(desc('A drop-in at the village hall, or face to face appointments.'))
                .map((d) => d.value)).to.deep.equal(['in-person']);
            expect(readDelivery(desc('We support carers across North Lincolnshire.'))).to.deep.equal([]);
        });

        it('reads a class or group held at a named venue as in person', () => {
            expect(readDelivery(desc('Weekly classes at Brumby Hall for all abilities.')).map((d) => d.value))
                .to.deep.equal(['in-person']);
            expect(readDelivery(desc('The group is based at St Hugh\'s Church.')).map((d) => d.value))
                .to.deep.equal(['in-person']);
        });

        it('does not take a way to book for how it is delivered, nor "meet online" for in person', () => {
            expect(readDelivery(desc('Book a place on the website or over the phone on 01652 660380.'))
                .map((d) => d.value)).to.deep.equal([]);
            expect(readProse(desc('Carers meet online on the first Wednesday of the month, 2pm-3.30pm.')).delivery
                .map((d) => d.value)).to.deep.equal(['online']);
        });

        it('reads food delivered to homes as a home visit, beside the group people go to', () => {
            expect(readProse(desc('Our pantry group meets on Fridays; we deliver to your door if you cannot come.'))
                .delivery.map((d) => d.value)).to.deep.equal(['in-person', 'home-visit']);
        });

        it('does not read booking online or "feel at home" as delivery', () => {
            expect(readDelivery(desc('Book online at our website. You will feel at home.'))).to.deep.equal([]);
        });
    });

    describe('days and times', () => {
        it('reads "every Tuesday 10am-12pm" into a schedule', () => {
            const [found] = readSchedules(desc('We meet every Tuesday 10am-12pm at the library.'));
            expect(found?.session).to.deep.equal({ byday: ['TU'], opens_at: '10:00', closes_at: '12:00' });
            expect(found?.span).to.contain('Tuesday');
        });

        it('reads day ranges, lists and times without am or pm', () => {
            expect(readSchedules(desc('Open Monday to Friday 9-5.'))[0]?.session)
                .to.deep.equal({ byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opens_at: '09:00', closes_at: '17:00' });
            expect(readSchedules(desc('Mondays and Thursdays, 1.30pm - 3.30pm.'))[0]?.session)
                .to.deep.equal({ byday: ['MO', 'TH'], opens_at: '13:30', closes_at: '15:30' });
            expect(readSchedules(desc('Wednesdays 10 till 2pm'))[0]?.session)
                .to.deep.equal({ byday: ['WE'], opens_at: '10:00', closes_at: '14:00' });
        });

        it('reads "first Monday of the month" with its words', () => {
            const [found] = readSchedules(desc('Held on the first Monday of the month, 2pm to 4pm.'));
            expect(found?.session).to.deep.equal({
                byday: ['MO'], opens_at: '14:00', closes_at: '16:00', description: 'First Monday of the month',
            });
            const [noTime] = readSchedules(desc('A drop in session on the fourth Thursday of each month.'));
            expect(noTime?.session).to.equal(undefined);
            expect(noTime?.words).to.equal('Fourth Thursday of the month');
        });
    });

    describe('who it is for', () => {
        it('reads ages, women or men only, conditions, communities and catchments', () => {
            const found = readForWhom(desc('A group for women aged 18-25 living with diabetes. '
                + 'Open to residents of Ashby and Bottesford.'));
            expect(found.map((f) => `${f.kind}:${f.value}`)).to.deep.equal([
                'age:18-25', 'gender:women', 'condition:diabetes', 'catchment:Ashby and Bottesford',
            ]);
            expect(found[0]).to.include({ min_age: 18, max_age: 25 });
            expect(readForWhom(desc('Men only: a shed for men over 50.')).map((f) => `${f.kind}:${f.value}`))
                .to.deep.equal(['age:50+', 'gender:men']);
            expect(readForWhom(desc('Support for carers and veterans.')).map((f) => `${f.kind}:${f.value}`))
                .to.deep.equal(['community:carers', 'community:veterans']);
        });

        it('reads members only and a GP registration as who it is for', () => {
            expect(readForWhom(desc('Open to paid-up members only.')).map((f) => `${f.kind}:${f.value}`))
                .to.deep.equal(['community:members']);
            expect(readForWhom(desc('For adults registered with a North Lincolnshire GP.')).map((f) =>
                `${f.kind}:${f.value}`))
                .to.deep.equal(['catchment:registered with a North Lincolnshire GP']);
        });

        it('does not read "women and men" or "living in fear" as who it is for', () => {
            expect(readForWhom(desc('Open to women and men of all ages. Nobody should be living in fear.')))
                .to.deep.equal([]);
        });

        it('reads a nested audience path whole', () => {
            const found = readForWhom([{ field: 'audience', text: 'Parents>Grandparents' }]);
            expect(found.map((f) => `${f.kind}:${f.value}`)).to.deep.equal(['audience:Parents > Grandparents']);
        });
    });

    it('reads a named venue, and not a person or an organisation', () => {
        expect(readVenue(desc('We meet every week at Brumby Community Centre, Scunthorpe.'))?.value)
            .to.equal('Brumby Community Centre');
        expect(readVenue(desc('Sessions are held in St Hugh\'s Church Hall.'))?.value).to.equal(
            'St Hugh\'s Church Hall');
        expect(readVenue(desc('Run by Age UK and the NHS for older people.'))).to.equal(undefined);
        expect(readVenue(desc('Sessions take place at Westcliff Community Works.'))?.value).to.equal(
            'Westcliff Community Works');
    });

    it('takes a group, class, club or show people go to as in person when nothing says it is remote', () => {
        for (const text of ['A friendly knitting group for beginners.', 'Our lunch club serves a hot meal.',
            'Exercise classes for older people.', 'A coffee morning with cake.', 'Live comedy show with two acts.']) {
            expect(readProse(desc(text)).delivery.map((d) => d.value), text).to.deep.equal(['in-person']);
        }
        expect(readProse(desc('An online support group on Zoom.')).delivery.map((d) => d.value))
            .to.deep.equal(['online']);
        expect(readProse(desc('Advice on benefits and debt for anyone who needs it.')).delivery).to.deep.equal([]);
    });

    it('reads how often when no day is given, and a start time alone, as schedule words', () => {
        expect(readSchedules(desc('The group meets weekly in term time.')).map((f) => f.words)).to.deep.equal([
            'Weekly']);
        expect(readSchedules(desc('We meet once a month.')).map((f) => f.words)).to.deep.equal(['Monthly']);
        expect(readSchedules(desc('Come along on Mondays from 9.30am.')).map((f) => f.words))
            .to.deep.equal(['Monday from 09:30']);
        expect(readSchedules(desc('Sign up to our weekly newsletter.'))).to.deep.equal([]);
        expect(readSchedules(desc('The club meets on Fridays.')).map((f) => f.words)).to.deep.equal(['Friday']);
        expect(readSchedules(desc('Call us on Monday if you need help.'))).to.deep.equal([]);
    });

    it('reads who it is for from the service\'s name too', () => {
        const facts = readProse([{ field: 'name', text: 'Over 60s Dads Club' },
            { field: 'description', text: 'A friendly club.' }]);
        expect(facts.forWhom.map((f) => `${f.kind}:${f.value}:${f.from}`)).to.deep.equal(['age:60+:name',
            'gender:men:name', 'community:parents:name']);
    });

    it('takes a session with days and times that nothing says is online as one people attend', () => {
        expect(readProse(desc('Our knitting circle, Tuesdays 2pm-4pm. All welcome.')).delivery.map((d) => d.value))
            .to.deep.equal(['in-person']);
        expect(readProse(desc('Tuesdays 2pm-4pm on Zoom.')).delivery.map((d) => d.value)).to.deep.equal(['online']);
    });

    it('reads the numbers of both the service and its organisation', () => {
        const facts = readProse([{ field: 'description', text: 'Call the group on 01724 111222.' },
            { field: 'organization.description', text: 'Our office: 01652 333444.' }]);
        expect(facts.phones.map((p) => p.value)).to.deep.equal(['01724 111222', '01652 333444']);
    });

    it('reads HTML-free prose from every field and says where each fact came from', () => {
        const facts = readProse([
            { field: 'description', text: 'Free weekly craft group. Call 01724 123456.' },
            { field: 'eligibility', text: 'Adults aged 65 and over.' },
        ]);
        expect(facts.phones[0]).to.include({ value: '01724 123456', from: 'description' });
        expect(facts.price).to.include({ kind: 'free', from: 'description' });
        expect(facts.forWhom[0]).to.include({ kind: 'age', value: '65+', from: 'eligibility', min_age: 65 });
    });
});
