// Builds evsupply's partial plotly.js (`make plotlyjs`): ../../evsupply/assets/plotly/plotly-evsupply.min.js
// from entry.js, and beside it LICENSE.txt (the licences of plotly.js and of every package bundled with it).
'use strict';

const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const version = require('plotly.js/package.json').version;
const outDir = path.join(__dirname, '..', '..', 'evsupply', 'assets', 'plotly');
const outfile = path.join(outDir, 'plotly-evsupply.min.js');

// registry.js imports maplibre's stylesheet for `map` subplots; no bundled trace draws one, so it stays out.
const noMapStyles = {
    name: 'no-map-styles',
    setup(build) {
        build.onResolve({ filter: /maplibre-gl\.css$/ }, () => ({ path: 'maplibre-gl.css', namespace: 'empty' }));
        build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
    }
};

function packagesOf(metafile) {
    // The npm packages whose code is in the bundle, from the paths of the bundled inputs.
    const found = new Map();
    for (const input of Object.keys(metafile.inputs)) {
        const m = input.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//);
        if (m && !found.has(m[2])) found.set(m[2], m[1]);
    }
    return [...found.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function licenceText(dir) {
    const name = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    return name ? fs.readFileSync(path.join(dir, name), 'utf8').trim() : null;
}

async function main() {
    const result = await esbuild.build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile,
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none', // the licences go to LICENSE.txt beside the bundle
        metafile: true,
        plugins: [noMapStyles],
        define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
        target: 'es2016',
        banner: {
            js:
                `/*! plotly.js v${version} (MIT License, Copyright (c) Plotly, Inc.; see LICENSE.txt beside this ` +
                'file): evsupply\'s partial bundle, built by tools/plotlyjs (make plotlyjs). */'
        },
        logLevel: 'info'
    });
    const parts = [
        `evsupply's partial bundle of plotly.js ${version} (plotly-evsupply.min.js), built by tools/plotlyjs ` +
            '(`make plotlyjs`) from the npm packages pinned in tools/plotlyjs/package-lock.json.',
        'It contains code from the following packages, each under its own licence, reproduced below.'
    ];
    for (const [name, dir] of packagesOf(result.metafile)) {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        const text = licenceText(dir);
        parts.push(
            `----------------------------------------------------------------------\n${name} ${pkg.version}` +
                ` (${pkg.license || 'see its package'})\n\n${text || `No licence file in the package; its package.json says: ${pkg.license}.`}`
        );
    }
    fs.writeFileSync(path.join(outDir, 'LICENSE.txt'), parts.join('\n\n') + '\n');
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
