/**
 * `npm run build`'s last step: compresses the website chat's files (brotli and gzip) into the cache folder
 * (dist/static) once, so a server starting from this build sends them compressed from its first request instead of
 * compressing the 3.9 MB Web Chat bundle itself (src/server/staticAssets.ts).
 *
 * Usage: node dist/src/cli/buildAssets.js [DIR]   (default dist/static)
 */
import { performance } from 'node:perf_hooks';
import { defaultCacheDir, precompress } from '../server/staticAssets';
import { webChatSources } from '../server/webChat';

async function main(): Promise<void> {
    const dir = process.argv[2] ?? defaultCacheDir();
    const start = performance.now();
    const count = await precompress(webChatSources(), dir);
    console.log(`Compressed ${count} website chat files into ${dir} in ${((performance.now() - start) / 1000)
        .toFixed(1)} s.`);
}

main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
});
