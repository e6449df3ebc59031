/**
 * Runs `count` lanes side by side, each working until it runs out of work or `stopped()`
 * says another failed. The first error is thrown only once no lane is still working: a
 * stage that fails must not have a write still landing when its retry starts by deleting
 * what the run staged.
 */
export async function runLanes(count: number, lane: (stopped: () => boolean) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  const stopped = () => failure !== null;
  await Promise.all(Array.from({ length: count }, () => lane(stopped).catch((error: unknown) => {
    failure ??= { error };
  })));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
