// How long an RFC 9865 cursor stays valid (advertised in ServiceProviderConfig).
export const CURSOR_TIMEOUT_S = 3600;
