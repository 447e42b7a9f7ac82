// evsupply's partial plotly.js: the core and the trace types evsupply's figures draw.
// Keep TRACES in step with evsupply's figures; tests/test_bundle.py fails if a report needs another type.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/scattergeo')
]);

module.exports = Plotly;
