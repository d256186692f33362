import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { describePreferences } from '../../src/conversation/preferences';
import { loadWording } from '../../src/knowledge/wording';
import type { Preferences } from '../../src/matching/types';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = path.join(projectRoot(), 'knowledge');

const everything: Preferences = {
    place: { label: 'BS5', latitude: 51.46, longitude: -2.56, outcode: 'BS5' },
    onlineOnly: true,
    days: ['TU', 'TH'],
    times: ['morning', 'evening'],
    freeOnly: true,
    access: ['wheelchair', 'bsl'],
    worries: ['bring-someone'],
};

describe('the preferences a request for contact gives a connector', () => {
    const tmp = tempDir();
    after(() => tmp.remove());

    it('sums up every choice in short phrases from the wording file, in the order a connector reads them', () => {
        expect(describePreferences(everything, loadWording(KNOWLEDGE))).to.deep.equal([
            'near BS5', 'online or phone only', 'Tuesdays and Thursdays', 'morning, evening', 'free only',
            'access: wheelchair, bsl', 'worries: bring-someone',
        ]);
    });

    it('says online is fine when it is fine but not the only way, and nothing for questions skipped', () => {
        const wording = loadWording(KNOWLEDGE);
        expect(describePreferences({ onlineOk: true }, wording)).to.deep.equal(['online or phone is fine']);
        expect(describePreferences({}, wording)).to.deep.equal([]);
    });

    it('takes its words from knowledge/wording.json, so a content editor can change them', () => {
        const file = JSON.parse(fs.readFileSync(path.join(KNOWLEDGE, 'wording.json'), 'utf8')) as
            { preferences: Record<string, string> };
        file.preferences = {
            near: 'close to {place}', onlineOnly: 'only online', onlineOk: 'online is OK', freeOnly: 'no cost',
            access: 'needs {list}', worries: 'worried: {list}',
        };
        fs.writeFileSync(path.join(tmp.dir, 'wording.json'), JSON.stringify(file));
        const wording = loadWording(tmp.dir);
        expect(describePreferences(everything, wording)).to.deep.equal([
            'close to BS5', 'only online', 'Tuesdays and Thursdays', 'morning, evening', 'no cost',
            'needs wheelchair, bsl', 'worried: bring-someone',
        ]);
        expect(describePreferences({ onlineOk: true }, wording)).to.deep.equal(['online is OK']);
    });
});
