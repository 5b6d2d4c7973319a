import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { Bindings } from "../src/config";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: D1Migration[];
      TEST_RETIRED_SIGNING_KEY: string;
      /** Test-only service binding to the Device Hub emulator (test/emulators/device-hub). */
      DEVICE_HUB?: Fetcher;
      /** The admin console's static assets (wrangler.toml [assets], built into dist/console). */
      ASSETS: Fetcher;
    }
  }
}
