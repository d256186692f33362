/** The Direct Line and SMS opt-out contract, on the embedded store. */
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { tempDir } from '../helpers/tmp';
import { describeDirectLineContract } from './directLineContract';

describeDirectLineContract('embedded (SQLite)', async () => {
    const tmp = tempDir();
    const stores = openEmbeddedStores(tmp.dir);
    return { stores, cleanup: async () => { await stores.close(); tmp.remove(); } };
});
