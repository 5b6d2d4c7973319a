// The key per-address limits count under: IPv4 per address, IPv6 per /64 in one spelling.
import { describe, expect, it } from "vitest";
import { ipRateKey } from "../../../src/http/client-ip";

describe("ipRateKey", () => {
  it("keys IPv4 per address and IPv4-mapped IPv6 as the IPv4 address", () => {
    expect(ipRateKey("192.0.2.1")).toBe("192.0.2.1");
    expect(ipRateKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(ipRateKey(undefined)).toBe("unknown");
  });
  it("keys IPv6 per /64, however the address is written", () => {
    const key = ipRateKey("2001:db8:a:b::1");
    for (const ip of ["2001:db8:a:b:ffff:1:2:3", "2001:0DB8:000a:000b::beef", "2001:db8:a:b:0:0:0:1%eth0"]) expect(ipRateKey(ip)).toBe(key);
    expect(key).toBe("2001:db8:a:b::/64");
    expect(ipRateKey("2001:db8:a:c::1")).not.toBe(key);
    expect(ipRateKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipRateKey("::1")).toBe("0:0:0:0::/64");
  });
});
