// Workers rate limiters (and Miniflare's) count in fixed windows aligned to the wall clock: every
// counter starts again at the turn of each minute. A test that spends a budget and then expects
// 429 is only meaningful if it ran inside one window; on a slow machine it may straddle a turn and
// see a fresh budget. So a scenario that fails is run again, with fresh keys, if and only if the
// window turned while it ran. A scenario that fails inside one window still fails the test.
const WINDOW_MS = 60_000;

const currentWindow = () => Math.floor(Date.now() / WINDOW_MS);

export async function inOneRateWindow<T>(scenario: () => Promise<T>, { attempts = 3 } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    // Date.now() in the Workers runtime stands still between I/O, so `before` may be a little
    // early: that can only make a turn look likelier, never hide one.
    const before = currentWindow();
    try {
      return await scenario();
    } catch (error) {
      if (currentWindow() === before || attempt >= attempts) throw error;
    }
  }
}

const hextet = () => crypto.randomUUID().slice(0, 4);
/** An address in a /64 no other test uses (IPv6 is limited per /64), so the per-IP budget starts empty. */
export const freshIp = () => `2001:db8:${hextet()}:${hextet()}::${hextet()}`;
