using Gateway.Configuration;
using Gateway.Http;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET /healthz</c>: the process answers. <c>GET /readyz</c>: routes are loaded and the store answers a ping
/// within the store timeout (so readiness itself never hangs on Redis).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", (HttpContext context) =>
            GatewayResponses.JsonAsync(context, new ReadinessBody("alive", "n/a", null), JsonContext.Default.ReadinessBody))
            .AllowAnonymous();

        routes.MapGet("/readyz", async (HttpContext context, IStoreHealth store, IProxyStateLookup proxy, IOptions<GatewayOptions> options) =>
        {
            if (!proxy.GetRoutes().Any())
            {
                await GatewayResponses.JsonAsync(context, new ReadinessBody("not_ready", "unknown", "no routes loaded"), JsonContext.Default.ReadinessBody, 503);
                return;
            }
            try
            {
                await store.PingAsync(context.RequestAborted);
                await GatewayResponses.JsonAsync(context, new ReadinessBody("ready", "ok", null), JsonContext.Default.ReadinessBody);
            }
            catch (SessionStoreUnavailableException e)
            {
                GatewayResponses.RetryAfter(context.Response, options.Value.Store.RetryAfter);
                await GatewayResponses.JsonAsync(context, new ReadinessBody("not_ready", e.TimedOut ? "timeout" : "unavailable", "session store unavailable"), JsonContext.Default.ReadinessBody, 503);
            }
        }).AllowAnonymous();
    }
}
