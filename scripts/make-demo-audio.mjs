// Makes demo/audio/: the first paragraphs of the fixture episode read aloud by
// espeak-ng, encoded by lame, with a WebVTT transcript whose cues are the
// paragraphs' exact times. Run once by hand (`apt-get install espeak-ng lame`);
// the files are committed, so neither the demo nor CI needs these tools.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const PARAGRAPHS = 3;
const RATE = 22050; // espeak-ng speaks 16-bit mono at 22,050 Hz
const PAUSE = 0.6; // seconds of silence between paragraphs
const root = new URL('..', import.meta.url);

const paragraphs = readFileSync(new URL('demo/episodes/deepseek-v3.txt', root), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter(Boolean)
  .slice(0, PARAGRAPHS);

const stamp = (seconds) => new Date(Math.round(seconds * 1000)).toISOString().slice(11, 23);
const pcm = [];
const cues = [];
let at = 0;
for (const text of paragraphs) {
  // The WAV espeak-ng streams to stdout has a 44-byte header with placeholder sizes.
  const speech = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '165', '--stdout', text], { maxBuffer: 64 * 1024 * 1024 }).subarray(44);
  const seconds = speech.length / 2 / RATE;
  cues.push(`${stamp(at)} --> ${stamp(at + seconds)}\n<v Ernis>${text}`);
  pcm.push(speech, Buffer.alloc(Math.round(PAUSE * RATE) * 2));
  at += seconds + PAUSE;
}

const data = Buffer.concat(pcm);
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVEfmt ', 8);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(RATE, 24);
header.writeUInt32LE(RATE * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(data.length, 40);

const mp3 = new URL('demo/audio/deepseek-v3-intro.mp3', root).pathname;
execFileSync('lame', ['--quiet', '-m', 'm', '--resample', '16', '-b', '16', '-', mp3], { input: Buffer.concat([header, data]) });
writeFileSync(new URL('demo/audio/deepseek-v3-intro.vtt', root), `WEBVTT\n\n${cues.join('\n\n')}\n`);
console.log(`demo/audio: ${paragraphs.length} paragraphs, ${at.toFixed(1)} s`);
