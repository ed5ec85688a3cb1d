import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ARCHIVE_MEDIA_TYPES } from '../../../../../functions/api/archive-media-types.js';
import { MAX_ARCHIVE_UPLOAD_BYTES } from '../../../../../functions/api/routes/workspaces.js';
import { RunChangeSet } from '../../../../../functions/workspaces/run-change-set.js';
import { type ApiHarness, createApiHarness, KEYS, startRun } from '../../../../support/api-harness.js';
import { tarGz, zip } from '../../workspaces/archive-builders.js';

/** A small repository: two text files in a top folder (stripped, as GitHub's archives need). */
const REPO = [
  { name: 'repo-main/src/median.js', content: 'export const median = (xs) => xs[0];\n' },
  { name: 'repo-main/README.md', content: '# median\n' },
];

/** Uploads `archive` as tenant `as` with the given Content-Type (and any other headers). */
function upload(
  harness: ApiHarness,
  archive: Uint8Array,
  contentType = 'application/gzip',
  options: { readonly as?: keyof typeof KEYS; readonly headers?: Record<string, string> } = {},
): Promise<Response> {
  return Promise.resolve(
    harness.app.request('/v1/workspaces', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${KEYS[options.as ?? 'a']}`,
        'Content-Type': contentType,
        ...options.headers,
      },
      body: archive,
    }),
  );
}

/** Uploads REPO as a .tar.gz and returns its workspace id. */
async function uploadRepo(harness: ApiHarness, as: keyof typeof KEYS = 'a'): Promise<string> {
  const response = await upload(harness, await tarGz(REPO), 'application/gzip', { as });
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { workspaceId: string }).workspaceId;
}

/** Starts `hello` (which needs no workspace) on `workspaceId`. */
function startOn(harness: ApiHarness, workspaceId: string, as: keyof typeof KEYS = 'a') {
  return harness.call('POST', '/v1/pipelines/hello/runs', { as, json: { workspaceId } });
}

/** Counts every write to the harness's artifact store from now on. */
function countWrites(harness: ApiHarness): () => number {
  const spies = [
    vi.spyOn(harness.artifacts, 'putJson'),
    vi.spyOn(harness.artifacts, 'putText'),
    vi.spyOn(harness.artifacts, 'copy'),
  ];
  return () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
}

describe('POST /v1/workspaces', () => {
  it.each([
    ['a .tar.gz', 'application/gzip', tarGz],
    ['a .zip', 'application/zip', zip],
    ['a .tar.gz sent as octet-stream', 'application/octet-stream', tarGz],
  ])('stores %s as a workspace and answers its id, files and what it left out', async (_, type, build) => {
    // Prepare
    const harness = await createApiHarness();
    const archive = await build([...REPO, { name: 'repo-main/node_modules/x/index.js', content: 'x' }]);

    // Act
    const response = await upload(harness, archive, type);

    // Assess
    expect(response.status).toBe(201);
    const body = (await response.json()) as { workspaceId: string };
    expect(body).toEqual({
      workspaceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      files: 2,
      skipped: [{ path: 'node_modules/', reason: expect.any(String) }],
    });
    const manifest = await harness.artifacts.getJson<{ files: { path: string }[] }>(
      `tenants/a/workspaces/${body.workspaceId}/manifest.json`,
    );
    expect(manifest.files.map((file) => file.path)).toEqual(['README.md', 'src/median.js']);
  });

  it('refuses an archive with a ".." entry with 422 naming the entry, storing nothing', async () => {
    // Prepare
    const harness = await createApiHarness();
    const archive = await tarGz([...REPO, { name: '../escape.js', content: 'x' }]);
    const writes = countWrites(harness);

    // Act
    const response = await upload(harness, archive);

    // Assess
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: 'INVALID_ARCHIVE',
        message: expect.stringContaining('../escape.js'),
        details: [{ field: 'body', message: expect.stringContaining('../escape.js') }],
      },
    });
    expect(writes()).toBe(0);
  });

  it('refuses a body that is no archive with 422 INVALID_ARCHIVE', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await upload(harness, Buffer.from('just text'), 'application/octet-stream');

    // Assess
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_ARCHIVE', details: [{ field: 'body' }] },
    });
  });

  it('stops reading an archive streamed past the limit and answers 413, storing nothing', async () => {
    // Prepare: random bytes do not compress, so the .tar.gz is over the limit too
    const harness = await createApiHarness();
    const archive = await tarGz([{ name: 'big.bin', content: randomBytes(MAX_ARCHIVE_UPLOAD_BYTES + 1024) }]);
    const writes = countWrites(harness);

    // Act
    const response = await upload(harness, archive);

    // Assess
    expect(archive.byteLength).toBeGreaterThan(MAX_ARCHIVE_UPLOAD_BYTES);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'ARCHIVE_TOO_LARGE',
        message: expect.stringContaining(String(MAX_ARCHIVE_UPLOAD_BYTES)),
        details: [{ field: 'body' }],
      },
    });
    expect(writes()).toBe(0);
  });

  it('refuses an archive whose Content-Length is over the limit with 413, unread', async () => {
    // Prepare
    const harness = await createApiHarness();
    const archive = await tarGz(REPO);

    // Act
    const response = await upload(harness, archive, 'application/gzip', {
      headers: { 'Content-Length': String(MAX_ARCHIVE_UPLOAD_BYTES + 1) },
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'ARCHIVE_TOO_LARGE' } });
  });

  it('takes archives over the JSON body limit of the other routes', async () => {
    // Prepare: 400 KiB of text in a file; random hex compresses to about half
    const harness = await createApiHarness();
    const archive = await tarGz([{ name: 'data.txt', content: randomBytes(400 * 1024).toString('hex') }]);

    // Act
    const response = await upload(harness, archive);

    // Assess
    expect(archive.byteLength).toBeGreaterThan(262_144);
    expect(response.status).toBe(201);
  });

  it('documents the archive types it takes and the upload limit in the OpenAPI document', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const doc = (await (await harness.call('GET', '/v1/openapi.json')).json()) as {
      paths: Record<string, { post: { description: string; requestBody: { content: object } } }>;
    };

    // Assess
    const operation = doc.paths['/v1/workspaces']?.post;
    expect(Object.keys(operation?.requestBody.content ?? {})).toEqual([...ARCHIVE_MEDIA_TYPES]);
    expect(operation?.description).toContain(`at most ${MAX_ARCHIVE_UPLOAD_BYTES} bytes (4 MiB)`);
  });

  it('refuses another media type with 415 naming the types it takes', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await upload(harness, await tarGz(REPO), 'text/plain');

    // Assess
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: [{ field: 'Content-Type', message: expect.stringContaining('application/gzip') }],
      },
    });
  });
});

describe('starting a run on a workspace', () => {
  it('records the workspace on the run, and the run view shows it', async () => {
    // Prepare
    const harness = await createApiHarness();
    const workspaceId = await uploadRepo(harness);

    // Act
    const started = await startOn(harness, workspaceId);
    const { runId } = (await started.json()) as { runId: string };
    await harness.engine.whenIdle();
    const read = await harness.call('GET', `/v1/runs/${runId}`);

    // Assess
    expect(started.status).toBe(201);
    expect(await read.json()).toMatchObject({ runId, status: 'SUCCEEDED', workspaceId });
  });

  it.each([
    ['an unknown workspace', 'a', '0123456789abcdef0123456789abcdef'],
    ["another tenant's workspace", 'b', undefined],
  ] as const)('refuses %s with 404 WORKSPACE_NOT_FOUND, recording no run', async (_, as, id) => {
    // Prepare
    const harness = await createApiHarness();
    const workspaceId = id ?? (await uploadRepo(harness, 'a'));

    // Act
    const response = await startOn(harness, workspaceId, as);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'WORKSPACE_NOT_FOUND',
        details: [{ field: 'workspaceId', message: 'upload the repository with POST /v1/workspaces first' }],
      },
    });
    expect((await harness.runs.listRuns(as, { limit: 1 })).runs).toEqual([]);
  });

  it('refuses a workspaceId that is not 32 lowercase hex digits with 400 naming the field', async () => {
    // Prepare
    const harness = await createApiHarness();

    // Act
    const response = await startOn(harness, '0123456789ABCDEF0123456789ABCDEF');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_REQUEST', details: [{ field: 'workspaceId' }] },
    });
  });

  it('refuses an idempotency key reused with another workspace with 422', async () => {
    // Prepare
    const harness = await createApiHarness();
    const first = await uploadRepo(harness);
    const other = await upload(harness, await tarGz([{ name: 'other.txt', content: 'other\n' }]));
    const { workspaceId: second } = (await other.json()) as { workspaceId: string };
    const start = (workspaceId: string) =>
      harness.call('POST', '/v1/pipelines/hello/runs', { json: { workspaceId, idempotencyKey: 'k-1' } });

    // Act
    const replies = [await start(first), await start(second)];

    // Assess
    expect(replies.map((reply) => reply.status)).toEqual([201, 422]);
    expect(await replies[1]?.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
  });
});

describe('GET /v1/runs/{runId}/patch', () => {
  it('answers an empty diff for a run that changed nothing, and the diff of its changes', async () => {
    // Prepare
    const harness = await createApiHarness();
    const workspaceId = await uploadRepo(harness);
    const { runId } = (await (await startOn(harness, workspaceId)).json()) as { runId: string };
    await harness.engine.whenIdle();
    const unchanged = await harness.call('GET', `/v1/runs/${runId}/patch`);
    const changes = await RunChangeSet.open(harness.artifacts, { tenantId: 'a', runId, workspaceId });
    await changes.files().write('src/median.js', 'export const median = (xs) => xs[1];\n');
    await changes.commit('fix', { ok: true });

    // Act
    const changed = await harness.call('GET', `/v1/runs/${runId}/patch`);

    // Assess
    expect(unchanged.status).toBe(200);
    expect(unchanged.headers.get('content-type')).toBe('text/x-diff; charset=utf-8');
    expect(await unchanged.text()).toBe('');
    expect(changed.status).toBe(200);
    const patch = await changed.text();
    expect(patch).toContain('--- a/src/median.js\n+++ b/src/median.js\n');
    expect(patch).toContain('-export const median = (xs) => xs[0];\n+export const median = (xs) => xs[1];\n');
  });

  it("answers another tenant's run, and an unknown one, with 404 RUN_NOT_FOUND", async () => {
    // Prepare
    const harness = await createApiHarness();
    const workspaceId = await uploadRepo(harness, 'b');
    const { runId } = (await (await startOn(harness, workspaceId, 'b')).json()) as { runId: string };

    // Act
    const replies = [
      await harness.call('GET', `/v1/runs/${runId}/patch`),
      await harness.call('GET', '/v1/runs/20261126T101530123Z-9f2c4e1a/patch'),
    ];

    // Assess
    for (const reply of replies) {
      expect(reply.status).toBe(404);
      expect(await reply.json()).toMatchObject({ error: { code: 'RUN_NOT_FOUND' } });
    }
  });

  it('answers a run started without a workspace with 404 WORKSPACE_NOT_FOUND', async () => {
    // Prepare
    const harness = await createApiHarness();
    const runId = await startRun(harness, 'hello');

    // Act
    const response = await harness.call('GET', `/v1/runs/${runId}/patch`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { code: 'WORKSPACE_NOT_FOUND', details: [{ field: 'runId' }] },
    });
  });
});
