// The demo loads the elements from source; embedders load the built bundle instead.
import '../src/define/paperledge-episode.js';
import '../src/define/paperledge-credits.js';
import '../src/define/paperledge-comments.js';
