// The D1 databases tenants live on (docs/architecture.md "Storage scale-out"): the binding DB,
// which is also the directory, and DB_1 … DB_n. Every binding named so is a shard; all run the
// same migrations. A deployment with DB alone is a one-shard deployment, unchanged.
import type { Bindings } from "../../config";
import { createDb, type Db } from "./db";

/** The first shard, and the directory (placement, client and Entra-trust lookups). */
export const DIRECTORY_SHARD = "DB";
const SHARD_BINDING = /^DB(?:_([1-9][0-9]{0,3}))?$/;

/** A shard name that is not bound in this deployment (a bad admin input or a removed binding). */
export class UnknownShard extends Error {
  constructor(readonly shard: string) {
    super(`unknown shard ${JSON.stringify(shard).slice(0, 80)}`);
    this.name = "UnknownShard";
  }
}

const bindings = (env: Bindings) => env as unknown as Record<string, unknown>;
const isD1 = (value: unknown): value is D1Database => typeof (value as D1Database | undefined)?.prepare === "function";

/** Is `name` a shard of this deployment? */
export const isShard = (env: Bindings, name: string): boolean => SHARD_BINDING.test(name) && isD1(bindings(env)[name]);

const order = (name: string) => Number(SHARD_BINDING.exec(name)?.[1] ?? 0);

/** Every shard, "DB" first, then DB_1, DB_2, … by number. */
export function shardNames(env: Bindings): string[] {
  return Object.keys(bindings(env))
    .filter((name) => isShard(env, name))
    .sort((a, b) => order(a) - order(b));
}

/** The raw D1 binding of a shard; throws UnknownShard for a name that is not one. */
export function shardD1(env: Bindings, name: string): D1Database {
  if (!isShard(env, name)) throw new UnknownShard(name);
  return bindings(env)[name] as D1Database;
}

export const shardDb = (env: Bindings, name: string): Db => createDb(shardD1(env, name));

export const directoryDb = (env: Bindings): Db => shardDb(env, DIRECTORY_SHARD);
