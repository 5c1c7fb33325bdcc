// A view's loads where only the newest answer counts: an answer to an older
// request, slow or failed, never overwrites what a newer one shows. The
// status line keeps an action's message through a good load, and shows a
// failed load's error until a later load succeeds.

/**
 * @param {{ fetch: () => Promise<any>, status: { info(text: string): void, error(e: unknown): void },
 *           take: (answer: any) => void, render: () => void }} parts
 * @returns {() => Promise<void>} load: asks again; renders once its answer is taken or refused
 */
export function latestLoader({ fetch, status, take, render }) {
  let generation = 0;
  let failed = false;
  return async function load() {
    const mine = ++generation;
    try {
      const answer = await fetch();
      if (mine !== generation) return;
      take(answer);
      if (failed) status.info(''); // clear the stale load error, nothing else
      failed = false;
    } catch (e) {
      if (mine !== generation) return;
      failed = true;
      status.error(e);
    }
    render();
  };
}
