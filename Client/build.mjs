// Builds the browser client into the gateway's web root (Gateway/wwwroot, generated, ignored by git).
// No bundler: the sources are ES modules the browser loads as they are; ECharts and Lightweight Charts come as their
// pinned ESM builds (the standalone one of Lightweight Charts carries its one dependency, fancy-canvas, inside).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));
const out = from('../Gateway/wwwroot/');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(from('src/'), out, { recursive: true });
cpSync(from('node_modules/echarts/dist/echarts.esm.min.js'), `${out}echarts.esm.min.js`);
// ECharts is Apache-2.0: its licence and notice travel with the copy we serve.
cpSync(from('node_modules/echarts/LICENSE'), `${out}echarts.LICENSE.txt`);
cpSync(from('node_modules/echarts/NOTICE'), `${out}echarts.NOTICE.txt`);
cpSync(from('node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.mjs'), `${out}lightweight-charts.esm.min.js`);
// Lightweight Charts is Apache-2.0 too, and asks for its NOTICE (TradingView as its maker) and a link to
// tradingview.com on the page: the npm package lacks the NOTICE, so licenses/ keeps a copy of the project's own.
cpSync(from('node_modules/lightweight-charts/LICENSE'), `${out}lightweight-charts.LICENSE.txt`);
cpSync(from('licenses/lightweight-charts.NOTICE.txt'), `${out}lightweight-charts.NOTICE.txt`);
console.log(`client built into ${out}`);
