using System.Net;

namespace Gateway.ForwardAuth;

/// <summary>
/// Request feature: the TCP peer of a call to verify, taken before the forwarded-headers middleware replaces the
/// remote address with the client's. The peer is the proxy asking, and only a trusted one may name the request.
/// </summary>
internal sealed record ForwardAuthPeer(IPAddress? Address);
