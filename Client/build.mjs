// Builds the browser client into the gateway's web root (Gateway/wwwroot, generated, ignored by git).
// No bundler: the sources are ES modules the browser loads as they are; ECharts comes as its pinned ESM build.
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
console.log(`client built into ${out}`);
