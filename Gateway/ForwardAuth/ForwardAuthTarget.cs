using Yarp.ReverseProxy.Configuration;

namespace Gateway.ForwardAuth;

/// <summary>
/// Request feature set by <see cref="ForwardAuthMiddleware"/> for a call to verify: the original request, the route
/// of routes.json it matched (null: none, a session is needed), and whether it addresses the gateway's own endpoints.
/// </summary>
internal sealed record ForwardAuthTarget(OriginalRequest Original, RouteConfig? Route, bool GatewayEndpoint);
