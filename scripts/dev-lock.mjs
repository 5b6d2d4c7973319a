// One `npm run dev` per local state: two stacks on the same .wrangler/state open the same SQLite
// files from two workerd processes and answer 500 (SQLITE_BUSY) under load. The first stack
// holds a lock file in the state directory naming itself; a second one is refused with who holds
// it and how to run with a state of its own. A lock whose process is gone is taken over.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const DEFAULT_STATE_DIR = ".wrangler/state";
const LOCK_FILE = "dev.lock";

/** The live holder of the lock, or undefined when there is none (no file, unreadable, or dead pid). */
function liveHolder(path) {
  let holder;
  try {
    holder = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(holder?.pid)) return undefined;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's. ESRCH: gone.
    if (err.code !== "EPERM") return undefined;
  }
  // The pid of a killed stack may be reused by another program: on Linux, check it is a dev stack.
  const cmdline = `/proc/${holder.pid}/cmdline`;
  if (existsSync(cmdline) && !readFileSync(cmdline, "utf8").includes("dev.mjs")) return undefined;
  return holder;
}

/** The message for a refused start: which process, and the two ways out. */
export function refusal(holder, stateDir, port) {
  const other = port + 10;
  return [
    `another \`npm run dev\` is using this local state (${resolve(stateDir)}):`,
    `  pid ${holder.pid} (${holder.command}), ${holder.url}, since ${holder.startedAt}`,
    "Two stacks on one local D1 fail with SQLITE_BUSY. Either stop that one (Ctrl-C in its terminal,",
    `or kill ${holder.pid}), or run this one with its own state directory and ports:`,
    `  npm run dev -- --persist-to .wrangler/state-${other} --port ${other}`,
  ].join("\n");
}

/**
 * Take the lock of `stateDir` for this process, released when it exits. Returns undefined when
 * taken, else the live holder (nothing is changed then).
 */
export function acquireDevLock(stateDir, { url, command }) {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, LOCK_FILE);
  const me = { pid: process.pid, url, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // "wx": created only if absent, so two starts at the same moment cannot both win.
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: "wx" });
      process.on("exit", () => {
        try {
          if (JSON.parse(readFileSync(path, "utf8")).pid === process.pid) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      });
      return undefined;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      const holder = liveHolder(path);
      if (holder) return holder;
      rmSync(path, { force: true }); // left by a stack that was killed: take it over
    }
  }
  return liveHolder(path) ?? { pid: "?", url: "?", command: "?", startedAt: "?" };
}
