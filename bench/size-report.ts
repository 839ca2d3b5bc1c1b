// `npm run bench:size`: the size tables of `npm run bench` alone, in seconds: where a size pass should look.
import { reportSize } from './size.js';

await reportSize(console.log);
