import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import {
    checkDockerfile, checkDockerignore, dockerignorePatterns, ignoredBy, parseDockerfile, runtimeNeeds,
    type DockerRules,
} from './dockerChecks';

const root = projectRoot();
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const ignore = dockerignorePatterns(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8'));
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { outDir: string };
    include: string[];
};
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    scripts: Record<string, string>;
};

/** What the server reads at start, found in its source; the data folder is made at run time, not copied. */
const needs = runtimeNeeds(root, 'src/index.ts');
const rules: DockerRules = {
    root,
    image: 'node:20-bookworm-slim',
    runtimePaths: [
        ...needs.paths.filter((p) => p !== 'data'), 'package-lock.json', 'bin', tsconfig.compilerOptions.outDir,
    ],
    outDir: tsconfig.compilerOptions.outDir,
    port: 3978,
};

describe('the container image (Dockerfile, checked without Docker)', () => {
    it('finds what the server reads at start by following its imports', () => {
        expect(needs.files).to.be.greaterThan(20);
        expect(needs.paths).to.include.members([
            'package.json', 'knowledge', 'src/server/public', 'src/workspace/public',
        ]);
        for (const name of needs.packages) expect(pkg.dependencies, name).to.have.property(name);
    });

    it('builds in one stage and runs in another, both node:20-bookworm-slim, as a user that is not root, with a '
        + 'health check, the port, the data volume, no secrets, and every file the server reads', () => {
        expect(checkDockerfile(dockerfile, ignore, rules)).to.deep.equal([]);
    });

    it('compiles what tsconfig.json includes (but the tests) in the build stage', () => {
        const [build] = parseDockerfile(dockerfile);
        const copied = build.instructions.filter((i) => i.op === 'COPY')
            .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
        const folders = tsconfig.include.map((p) => p.split('/')[0]).filter((f) => f !== 'test');
        expect(copied).to.include.members(['tsconfig.json', ...folders]);
    });

    it('starts the compiled server directly: npm start would compile first (its prestart)', () => {
        expect(pkg.scripts.prestart).to.match(/build/);
        expect(pkg.scripts.start).to.equal('node dist/src/index.js');
        expect(dockerfile).to.match(/^CMD \["node", "dist\/src\/index\.js"\]$/m);
    });

    it('leaves installed, built and local files out of the build context', () => {
        expect(checkDockerignore(ignore, ['node_modules', 'data', 'dist', 'test-output', '.git'])).to.deep.equal([]);
    });

    describe('each check finds the fault it is for', () => {
        const broken = (from: string | RegExp, to: string) => {
            const text = dockerfile.replace(from, to);
            expect(text, `the Dockerfile has ${from}`).not.to.equal(dockerfile);
            return checkDockerfile(text, ignore, rules);
        };

        it('one stage, or another base image', () => {
            const single = dockerfile.slice(dockerfile.indexOf('FROM node:20-bookworm-slim AS runtime'));
            expect(checkDockerfile(single, ignore, rules)).to.deep.equal([
                '1 stage(s): a build stage and a runtime stage are needed',
            ]);
            expect(broken('FROM node:20-bookworm-slim AS runtime', 'FROM node:20 AS runtime'))
                .to.deep.equal(['stage runtime is FROM node:20']);
        });

        it('a runtime stage with dev dependencies, or a build stage that does not compile', () => {
            expect(broken('COPY --from=build /app/node_modules ./node_modules\n',
                'RUN npm ci --omit=dev\n')).to.deep.equal([
                'the runtime stage installs packages: botbuilder-dialogs\' install script needs a dev dependency',
                'the runtime stage does not take node_modules from the build stage',
            ]);
            expect(broken('RUN npm prune --omit=dev', 'RUN true')).to.deep.equal([
                'no build stage prunes to production dependencies with npm prune --omit=dev',
            ]);
            expect(broken('RUN npx tsc -p .', 'RUN true')).to.deep.equal(['no build stage compiles with npx tsc']);
        });

        it('root, no health check, the wrong port, no data volume, npm start', () => {
            expect(broken(/^USER node$/m, 'USER root')).to.deep.equal(['the runtime stage runs as root']);
            expect(broken(/^USER node$/m, '')).to.deep.equal(['the runtime stage runs as root (no USER)']);
            expect(broken(/^HEALTHCHECK[^\n]*\n[^\n]*\n/m, '')).to.deep.equal(['no HEALTHCHECK']);
            expect(broken('/healthz\')', '/\')')).to.deep.equal(['the HEALTHCHECK does not ask /healthz']);
            expect(broken('EXPOSE 3978', 'EXPOSE 8080')).to.deep.equal(['port 3978 is not exposed']);
            expect(broken('VOLUME ["/app/data"]', 'VOLUME ["/data"]')).to.deep.equal([
                'the data folder /app/data is not a VOLUME',
            ]);
            expect(broken('CMD ["node", "dist/src/index.js"]', 'CMD ["npm", "start"]')).to.deep.equal([
                'the container starts with npm: npm start compiles first, and cannot here',
                'the container does not run dist/src/index.js',
            ]);
        });

        it('a secret, a COPY of something missing or ignored, or a runtime stage without what the server reads', () => {
            const withSecret = broken('ENV NODE_ENV=production',
                'ENV NODE_ENV=production MONGODB_URI=mongodb+srv://admin:hunter2@db.example.net/');
            expect(withSecret).to.have.length(2);
            expect(withSecret[0]).to.match(/MONGODB_URI holds a secret value$/);
            expect(withSecret[1]).to.match(/looks like a secret$/);
            const missing = broken('COPY bin ./bin', 'COPY binaries ./bin');
            expect(missing).to.have.length(1);
            expect(missing[0]).to.match(/^line \d+: binaries is not in the repository$/);
            const ignored = broken('COPY bin ./bin', 'COPY bin ./bin\nCOPY test ./test');
            expect(ignored).to.have.length(1);
            expect(ignored[0]).to.match(/^line \d+: test is left out by \.dockerignore$/);
            expect(broken('COPY src/workspace/public ./src/workspace/public\n', '')).to.deep.equal([
                'the runtime stage lacks src/workspace/public, which the server reads',
            ]);
            const notBuilt = broken('COPY --from=build /app/dist ./dist', 'COPY --from=build /app/out ./dist');
            expect(notBuilt).to.have.length(1);
            expect(notBuilt[0])
                .to.match(/^line \d+: \/app\/out is not what the build stage makes \(\/app\/dist, \/app\/node_modules\)$/);
        });

        it('a .dockerignore that lets node_modules or local data in', () => {
            expect(checkDockerignore(ignore.filter((p) => p !== 'node_modules' && p !== 'data'),
                ['node_modules', 'data', 'dist'])).to.deep.equal([
                '.dockerignore does not leave out node_modules', '.dockerignore does not leave out data',
            ]);
            expect(ignoredBy(['*.log', 'dist'], 'npm-debug.log')).to.equal(true);
            expect(ignoredBy(['*.log', 'dist'], 'dist/src/index.js')).to.equal(true);
            expect(ignoredBy(['*.log', 'dist'], 'distance.ts')).to.equal(false);
        });
    });
});
