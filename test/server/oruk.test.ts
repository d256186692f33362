import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config';
import { loadKnowledge, type Knowledge } from '../../src/knowledge';
import type { Opportunity } from '../../src/knowledge/schema';
import { haversineKm } from '../../src/matching/geo';
import { projectRoot } from '../../src/paths';
import { shippedKnowledge, testApp } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

type Json = Record<string, unknown>;
const asList = (v: unknown): Json[] => v as Json[];

/**
 * The shipped directory with what the searches need to be tried on: a listing a curator hid, listings for older
 * people and for teenagers (ages the importer read, `for_whom`), and a phone read from a description.
 */
function testKnowledge(): { knowledge: Knowledge; hidden: string; older: string; teens: string; extracted: string } {
    const shipped = shippedKnowledge();
    const opportunities: Opportunity[] = shipped.opportunities.map((o) => ({ ...o }));
    const [hidden, older, teens, extracted] = [opportunities[5]!, opportunities[10]!, opportunities[11]!,
        opportunities[12]!];
    hidden.hidden = true;
    older.for_whom = [{ kind: 'age', value: '65 and over', min_age: 65 }];
    teens.for_whom = [{ kind: 'age', value: '11-18', min_age: 11, max_age: 18 }];
    extracted.phone = '01632 960999';
    extracted.extracted = [{ field: 'phone', value: '01632 960999', from: 'description', span: 'ring 01632 960999' }];
    return {
        knowledge: { ...shipped, opportunities }, hidden: hidden.id, older: older.id, teens: teens.id,
        extracted: extracted.id,
    };
}

/** The checks the ORUK validator makes of a page of GET /services at Level 1 (the v1 paging fields and types). */
function checkPage(page: Json, perPage: number): void {
    for (const key of ['totalElements', 'totalPages', 'number', 'size', 'numberOfElements']) {
        expect(Number.isInteger(page[key]), key).to.equal(true);
    }
    for (const key of ['first', 'last', 'empty']) expect(page[key], key).to.be.a('boolean');
    expect(page.content).to.be.an('array');
    expect(page.size).to.equal(perPage);
    expect(asList(page.content).length).to.equal(page.numberOfElements).and.to.be.at.most(perPage);
    expect(page.totalPages).to.equal(Math.max(1, Math.ceil(Number(page.totalElements) / perPage)));
    expect(page.first).to.equal(page.number === 1);
    expect(page.last).to.equal(Number(page.number) >= Number(page.totalPages));
    asList(page.content).forEach(checkService);
}

/** The checks of one full service: required fields, their types, and every child list an ORUK service has. */
function checkService(s: Json): void {
    for (const key of ['id', 'name', 'description', 'status']) {
        expect(s[key], key).to.be.a('string').and.not.equal('');
    }
    const org = s.organization as Json;
    expect(org.id).to.be.a('string').and.not.equal('');
    expect(org.name).to.be.a('string').and.not.equal('');
    for (const key of ['contacts', 'cost_options', 'eligibilitys', 'regular_schedules', 'service_areas',
        'service_at_locations', 'service_taxonomys']) {
        expect(s[key], key).to.be.an('array');
        asList(s[key]).forEach((child) => expect(child.id, `${key}.id`).to.be.a('string'));
    }
    expect(s.assured_date).to.match(/^\d{4}-\d{2}-\d{2}$/);
    asList(s.cost_options).forEach((c) => expect(c.amount).to.be.a('number'));
    asList(s.regular_schedules).filter((r) => r.byday !== undefined).forEach((r) => {
        expect(r.byday).to.match(/^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/);
        expect(r.opens_at).to.match(/^\d{2}:\d{2}:\d{2}$/);
        expect(r.closes_at).to.match(/^\d{2}:\d{2}:\d{2}$/);
    });
    asList(s.service_at_locations).forEach((l) => {
        const location = l.location as Json;
        expect(location.id).to.be.a('string');
        if (location.latitude !== null) expect(location.latitude).to.be.a('number');
        expect(location.physical_addresses).to.be.an('array');
    });
    asList(s.service_taxonomys).forEach((t) => {
        const taxonomy = t.taxonomy as Json;
        for (const key of ['id', 'name', 'vocabulary']) expect(taxonomy[key], key).to.be.a('string');
    });
    expect((s.signpost as Json).derived).to.be.an('array');
}

describe('the directory as an Open Referral UK API (issue 23)', function () {
    this.timeout(60_000);
    let web: WebServer;
    let kb: ReturnType<typeof testKnowledge>;
    const get = async (route: string): Promise<{ status: number; body: Json; headers: Headers }> => {
        const res = await fetch(`${web.url}${route}`);
        return { status: res.status, body: await res.json() as Json, headers: res.headers };
    };
    /** Every service a search finds, page by page. */
    const all = async (query: string, perPage = 100): Promise<Json[]> => {
        const found: Json[] = [];
        for (let page = 1; ; page++) {
            const { status, body } = await get(`/oruk/services?${query}&per_page=${perPage}&page=${page}`);
            expect(status).to.equal(200);
            checkPage(body, perPage);
            found.push(...asList(body.content));
            if (body.last) return found;
        }
    };

    before(async () => {
        kb = testKnowledge();
        web = await startWebServer({ app: testApp({ knowledge: kb.knowledge }), oruk: true });
    });
    after(async () => web.stop());

    describe('Level 1', () => {
        it('pages GET /oruk/services in the v1 shape: every shown listing once, in pages of per_page', async () => {
            const first = await get('/oruk/services?per_page=25');
            expect(first.status).to.equal(200);
            checkPage(first.body, 25);
            expect(first.body.number).to.equal(1);
            expect(first.body.first).to.equal(true);
            const shown = kb.knowledge.opportunities.filter((o) => !o.hidden).map((o) => o.id);
            expect(first.body.totalElements).to.equal(shown.length);
            const ids = (await all('', 25)).map((s) => s.id);
            expect(ids).to.deep.equal(shown);
            const beyond = await get(`/oruk/services?per_page=25&page=${Number(first.body.totalPages) + 1}`);
            expect(beyond.body.empty).to.equal(true);
            expect(beyond.body.last).to.equal(true);
        });

        it('gives 50 a page by default, and one full service at /oruk/services/{id}', async () => {
            const { body } = await get('/oruk/services');
            expect(body.size).to.equal(50);
            const listing = kb.knowledge.opportunities[0]!;
            const one = await get(`/oruk/services/${listing.id}`);
            expect(one.status).to.equal(200);
            checkService(one.body);
            expect(one.body).to.deep.equal(asList(body.content)[0]);
            expect(one.body.name).to.equal(listing.name);
            expect((one.body.organization as Json).name).to.equal(listing.organization.name);
            expect(asList(one.body.contacts)[0]).to.nested.include({ 'phones[0].number': listing.phone });
            expect(asList(one.body.regular_schedules)).to.have.length(listing.schedules.length);
            expect(asList(one.body.service_taxonomys).map((t) => (t.taxonomy as Json).id))
                .to.include.members(listing.needs.map((n) => `signpostNeed:${n}`));
        });

        it('is anonymous and open to any page (CORS); 404 for an unknown id, 400 for a bad query', async () => {
            const list = await get('/oruk/services');
            expect(list.headers.get('access-control-allow-origin')).to.equal('*');
            const unknown = await get('/oruk/services/no-such-service');
            expect(unknown.status).to.equal(404);
            expect(unknown.headers.get('access-control-allow-origin')).to.equal('*');
            for (const bad of ['page=0', 'per_page=5000', 'minimum_age=old', 'day=someday', 'start_time=25:00',
                'postcode=ZZ99 9ZZ']) {
                const res = await get(`/oruk/services?${bad}`);
                expect(res.status, bad).to.equal(400);
                expect((res.body.error as Json).message, bad).to.be.a('string');
            }
        });

        it('never serves a listing a curator hid, by list or by id; residents are not offered it either', async () => {
            expect((await get(`/oruk/services/${kb.hidden}`)).status).to.equal(404);
            expect((await all('')).map((s) => s.id)).not.to.include(kb.hidden);
            expect(web.app.engine.opportunity(kb.hidden)).to.equal(undefined);
        });

        it('says what it derived and from what, with the feed\'s own text unchanged beside it', async () => {
            const { body } = await get(`/oruk/services/${kb.extracted}`);
            const listing = kb.knowledge.opportunities.find((o) => o.id === kb.extracted)!;
            expect(body.description).to.equal(listing.description);
            expect((body.signpost as Json).derived).to.deep.include({
                field: 'contacts.phones.number', value: '01632 960999', from: 'description', words: 'ring 01632 960999',
            });
            const plain = await get(`/oruk/services/${kb.knowledge.opportunities[0]!.id}`);
            expect(asList((plain.body.signpost as Json).derived).filter((d) => d.field === 'contacts.phones.number'))
                .to.deep.equal([]);
        });
    });

    describe('Level 2 searches', () => {
        it('text: every word in the name, description, organisation or keywords', async () => {
            const found = await all('text=walking%20group');
            expect(found.length).to.be.greaterThan(0);
            for (const s of found) {
                const listing = kb.knowledge.opportunities.find((o) => o.id === s.id)!;
                const text = [listing.name, listing.description, listing.organization.name, ...listing.keywords]
                    .join(' ').toLowerCase();
                expect(text).to.include('walking');
                expect(text).to.include('group');
            }
            expect(await all('text=zzyzx')).to.deep.equal([]);
        });

        it('taxonomy_id and vocabulary: the listings with that need, no more, no fewer', async () => {
            const want = kb.knowledge.opportunities.filter((o) => !o.hidden && o.needs.includes('loneliness'))
                .map((o) => o.id);
            expect(want.length).to.be.greaterThan(0);
            expect((await all('taxonomy_id=signpostNeed:loneliness')).map((s) => s.id)).to.deep.equal(want);
            expect((await all('taxonomy_id=loneliness&vocabulary=signpostNeed')).map((s) => s.id)).to.deep.equal(want);
            expect(await all('taxonomy_id=loneliness&vocabulary=esdServiceType')).to.deep.equal([]);
        });

        it('minimum_age and maximum_age: a service is found when its ages overlap the person\'s', async () => {
            const young = (await all('minimum_age=15&maximum_age=20')).map((s) => s.id);
            expect(young).to.include(kb.teens);
            expect(young).not.to.include(kb.older);
            const old = (await all('minimum_age=70')).map((s) => s.id);
            expect(old).to.include(kb.older);
            expect(old).not.to.include(kb.teens);
            for (const s of await all('minimum_age=70')) {
                for (const e of asList(s.eligibilitys)) {
                    if (e.maximum_age !== null) expect(e.maximum_age).to.be.at.least(70);
                }
            }
        });

        it('postcode and proximity (metres): only listings that near, nearest first', async () => {
            const place = web.app.engine.resolvePlace('BS5 6XX')!;
            const found = await all('postcode=BS5%206XX&proximity=2000');
            expect(found.length).to.be.greaterThan(0);
            const km = found.map((s) => {
                const location = asList(s.service_at_locations)[0]!.location as Json;
                return haversineKm(place, { latitude: location.latitude as number,
                    longitude: location.longitude as number });
            });
            km.forEach((d) => expect(d).to.be.at.most(2));
            expect(km).to.deep.equal([...km].sort((a, b) => a - b));
            expect((await all('postcode=BS5%206XX&proximity=20000')).length).to.be.greaterThan(found.length);
        });

        it('day, start_time and end_time: a session that day overlapping the hours', async () => {
            const found = await all('day=TU&start_time=18:00&end_time=21:00');
            const want = kb.knowledge.opportunities.filter((o) => !o.hidden && o.schedules.some((s) =>
                s.byday.includes('TU') && s.closes_at > '18:00' && s.opens_at < '21:00'));
            expect(found.map((s) => s.id)).to.deep.equal(want.map((o) => o.id));
            expect(want.length).to.be.greaterThan(0);
            for (const s of found) {
                expect(asList(s.regular_schedules).some((r) => String(r.byday).includes('TU')
                    && String(r.closes_at) > '18:00' && String(r.opens_at) < '21:00')).to.equal(true);
            }
            expect((await all('day=tuesday')).length).to.be.greaterThan(found.length);
        });
    });

    it('is off unless SIGNPOST_ORUK_API=on, which a council turns on when it chooses to publish', async () => {
        expect(loadConfig({}).orukApi).to.equal(false);
        expect(loadConfig({ SIGNPOST_ORUK_API: 'on' }).orukApi).to.equal(true);
        expect(loadConfig({ SIGNPOST_ORUK_API: 'OFF' }).orukApi).to.equal(false);
        expect(() => loadConfig({ SIGNPOST_ORUK_API: 'yes' })).to.throw(ConfigError, /SIGNPOST_ORUK_API/);
        const off = await startWebServer();
        try {
            expect((await fetch(`${off.url}/oruk/services`)).status).to.equal(404);
        } finally {
            await off.stop();
        }
    });

    it('is limited per address like every other route', async () => {
        const limited = await startWebServer({
            app: testApp({ env: { SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: '3' } }), oruk: true,
        });
        try {
            const statuses: number[] = [];
            for (let i = 0; i < 5; i++) statuses.push((await fetch(`${limited.url}/oruk/services?per_page=1`)).status);
            expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
        } finally {
            await limited.stop();
        }
    });

    it('round trip: signpost kb import of its own /oruk/services gives the same listings', async () => {
        // The shipped directory as it is, with one listing hidden.
        const opportunities = shippedKnowledge().opportunities.map((o, i) => (i === 3 ? { ...o, hidden: true } : o));
        const served = await startWebServer({
            app: testApp({ knowledge: { ...shippedKnowledge(), opportunities } }), oruk: true,
        });
        const out = tempDir();
        try {
            // The command as a council's team runs it, in another process (this one serves the API meanwhile).
            const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/cli/main.js'), 'kb', 'import',
                `${served.url}/oruk/services?per_page=40`, '--format', 'oruk', '--out', out.dir, '--name', 'roundtrip',
                '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
            expect(code, stderr).to.equal(0);
            const back = loadKnowledge(out.dir).opportunities;
            const sent = opportunities.filter((o) => !o.hidden);
            expect(sent).to.have.length(shippedKnowledge().opportunities.length - 1);
            expect(back.map((o) => o.id)).to.deep.equal(sent.map((o) => o.id));
            const sameFields = (o: Opportunity) => ({
                id: o.id, name: o.name, description: o.description, organization: o.organization, url: o.url,
                // The importer leaves out addresses on domains kept for examples (example.org), as the sample's are.
                email: o.email?.endsWith('example.org') ? undefined : o.email,
                phone: o.phone, attending_type: [...o.attending_type].sort(), location: o.location,
                // A note beside regular times is served (regular_schedules), but the importer keeps a note only for
                // a service without regular times: the one field that does not come back.
                area_served: o.area_served, schedules: o.schedules,
                schedule_note: o.schedules.length > 0 ? undefined : o.schedule_note,
                cost_options: o.cost_options, cost_unknown: o.cost_unknown ?? false,
                accessibility: o.location ? [...o.accessibility].sort() : [],
                eligibility_description: o.eligibility_description, assured_date: o.assured_date,
                needs: o.needs,
            });
            const differ = back.map(sameFields).map((b, i) => ({ b, s: sameFields(sent[i]!) }))
                .filter(({ b, s }) => JSON.stringify(b) !== JSON.stringify(s));
            const fields = differ.flatMap(({ b, s }) => Object.keys(s).filter((k) =>
                JSON.stringify((b as Json)[k]) !== JSON.stringify((s as Json)[k]))
                .map((k) => `${s.id}.${k}: ${JSON.stringify((s as Json)[k])} -> ${JSON.stringify((b as Json)[k])}`));
            expect(fields).to.deep.equal([]);
            expect(fs.existsSync(path.join(out.dir, 'directory', 'roundtrip.json'))).to.equal(true);
        } finally {
            out.remove();
            await served.stop();
        }
    });
});
