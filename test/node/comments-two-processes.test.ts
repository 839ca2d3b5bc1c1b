import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from './support/http.js';
import { createDatabase } from './support/postgres.js';
import { type ServerProcess, spawnServer } from './support/server.js';

describe('two server processes on one PostgreSQL behave as one server', () => {
  let one: ServerProcess;
  let two: ServerProcess;

  before(async () => {
    const db = await createDatabase();
    // Started together, so both race to migrate the empty database.
    [one, two] = await Promise.all([spawnServer(['--port', '0', '--db', db]), spawnServer(['--port', '0', '--db', db])]);
  });

  after(async () => {
    for (const server of [one, two]) {
      server?.child.kill('SIGTERM');
      await server?.exited;
    }
  });

  const comments = (server: ServerProcess, id: string) => `${server.url}/v1/episodes/${id}/comments`;

  it('counts one client across both for the rate limit: the 4th post in a minute gets 429', async () => {
    const statuses: number[] = [];
    for (const server of [one, two, one, two]) {
      statuses.push((await request(comments(server, 'two-rate'), { body: { body: 'alternating' }, localAddress: '127.0.0.5' })).status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    const other = await request(comments(one, 'two-rate'), { body: { body: 'another client' }, localAddress: '127.0.0.6' });
    assert.equal(other.status, 201);
  });

  it('lists a comment posted to one on the other at once, with a matching ETag', async () => {
    const posted = await request(comments(one, 'two-list'), { body: { body: 'posted to one' }, localAddress: '127.0.0.7' });
    assert.equal(posted.status, 201);
    const listed = await request(comments(two, 'two-list'));
    // Its author is told its status; the public list does not say it.
    const { status, ...publicComment } = posted.json.comment;
    assert.equal(status, 'visible');
    assert.deepEqual(listed.json.comments, [publicComment]);
    const fromOne = await request(comments(one, 'two-list'));
    assert.equal(fromOne.headers['etag'], listed.headers['etag']);
    const cached = await request(comments(one, 'two-list'), { headers: { 'If-None-Match': String(listed.headers['etag']) } });
    assert.equal(cached.status, 304);
  });

  it('accepts on one the delete token issued by the other', async () => {
    const posted = await request(comments(one, 'two-delete'), { body: { body: 'delete me elsewhere' }, localAddress: '127.0.0.8' });
    const deleted = await request(`${two.url}/v1/comments/${posted.json.comment.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${posted.json.deleteToken}` },
    });
    assert.equal(deleted.status, 204);
    assert.equal((await request(comments(one, 'two-delete'))).json.total, 0);
  });
});
