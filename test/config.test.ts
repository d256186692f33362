import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
    describe('when nothing is set', () => {
        it('runs on the embedded defaults with no authentication', () => {
            const c = loadConfig({});
            expect(c.port).to.equal(3978);
            expect(c.auth.appId).to.equal(undefined);
            expect(c.dataDir).to.match(/data$/);
            expect(c.stateDays).to.equal(30);
            expect(c.serviceName).to.equal('Signpost');
        });
    });

    describe('true/false settings', () => {
        it('each take true or false in any case, empty as false, and name themselves for anything else', () => {
            const read = (name: string, value: string) => {
                const c = loadConfig({ [name]: value });
                return name === 'SIGNPOST_INSECURE_DEV' ? c.auth.insecureDev : c.auth.websiteChatOnly;
            };
            for (const name of ['SIGNPOST_INSECURE_DEV', 'SIGNPOST_WEBSITE_CHAT_ONLY']) {
                expect([read(name, 'TRUE'), read(name, ' true '), read(name, 'False'), read(name, '')], name)
                    .to.deep.equal([true, true, false, false]);
                expect(() => read(name, 'yes'), name).to.throw(ConfigError, new RegExp(`${name}.*true or false`));
            }
        });
    });

    describe('when a setting is wrong', () => {
        it('names the setting and what it must be, without its value', () => {
            let error: unknown;
            try {
                loadConfig({ PORT: 'eighty', MicrosoftAppPassword: 'hunter2' });
            } catch (err) {
                error = err;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as Error).message).to.include('PORT').and.include('whole number');
            expect((error as Error).message).to.not.include('eighty');
        });

        it('refuses an app id without its password', () => {
            expect(() => loadConfig({ MicrosoftAppId: 'abc' })).to.throw(ConfigError, /MicrosoftAppPassword/);
        });

        it('refuses a single-tenant bot without its tenant', () => {
            expect(() => loadConfig({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'b', MicrosoftAppType: 'SingleTenant' }))
                .to.throw(ConfigError, /MicrosoftAppTenantId/);
        });

        it('takes an https page (http only on this computer) for the quick exit, and nothing else', () => {
            expect(loadConfig({}).quickExitUrl).to.match(/^https:\/\//);
            expect(loadConfig({ SIGNPOST_QUICK_EXIT_URL: 'https://www.example.org/news' }).quickExitUrl)
                .to.equal('https://www.example.org/news');
            expect(loadConfig({ SIGNPOST_QUICK_EXIT_URL: 'http://localhost:8080/x' }).quickExitUrl)
                .to.equal('http://localhost:8080/x');
            for (const bad of ['http://www.example.org/', 'javascript:alert(1)', 'weather', 'https://a:b@example.org/']) {
                expect(() => loadConfig({ SIGNPOST_QUICK_EXIT_URL: bad }), bad)
                    .to.throw(ConfigError, /SIGNPOST_QUICK_EXIT_URL/);
            }
        });

        it('refuses an unknown log level', () => {
            expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(ConfigError, /LOG_LEVEL/);
        });
    });
});
