import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { tempDir } from '../helpers/tmp';
import { describeStoreContract, sampleEscalation } from './contract';

describeStoreContract('embedded (SQLite)', async () => {
    const tmp = tempDir();
    const stores = openEmbeddedStores(tmp.dir);
    return { stores, cleanup: async () => { await stores.close(); tmp.remove(); } };
});

describe('the embedded store file', () => {
    it('keeps requests for contact after it is closed and opened again', async () => {
        const tmp = tempDir();
        try {
            const first = openEmbeddedStores(tmp.dir);
            await first.escalations.create(sampleEscalation());
            await first.close();
            const second = openEmbeddedStores(tmp.dir);
            expect((await second.escalations.getByReference('SP-ABCDEF'))?.id).to.equal('esc-1');
            await second.close();
        } finally {
            tmp.remove();
        }
    });
});
