/*
 * RxDB's CouchDB pull follows the server with a long-poll (`_changes?feed=longpoll`) that starts
 * at `since=now`, beside a first read from the replication's checkpoint. A change landing between
 * the two is in neither, and worse: the next document the live feed does bring moves the stored
 * checkpoint past it, so no later read from the checkpoint (not even after a restart) ever sees
 * it. Seen in the sync tests: a device that never received another device's events.
 *
 * So the live feed only says *that* something changed: its answers reach RxDB with no documents
 * (RxDB stores no checkpoint for an empty batch) and the replication is asked to read from its
 * checkpoint instead, which moves the checkpoint only over changes it has actually read. The
 * feed is asked for ids only, since its documents are not used.
 */
export function liveFeedAsNudge(inner: typeof fetch, nudge: () => void): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('feed=longpoll')) return inner(input, init);
    const response = await inner(url.replace('include_docs=true', 'include_docs=false'), init);
    const body = (await response.json()) as { results?: unknown; last_seq?: unknown };
    if (Array.isArray(body.results) && body.results.length > 0) nudge();
    return new Response(JSON.stringify({ results: [], last_seq: body.last_seq }), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}
