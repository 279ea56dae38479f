using Gateway.Authentication;
using Gateway.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Connections;

/// <summary>
/// In YARP's pipeline, around each proxied request made under a session: registers it with the
/// <see cref="ConnectionRegistry"/> (pending, dropped when it ends), and for an upgrade (HTTP/1.1 <c>Upgrade</c>, or an
/// HTTP/2 extended CONNECT) holds a place within the bound (503 beyond it, before the backend sees anything) and puts
/// itself between YARP and the upgraded stream, so the connection is tracked once upgraded and a WebSocket can be
/// closed with a Close frame. Anonymous requests pass untouched.
/// </summary>
internal sealed class ConnectionTrackingMiddleware(RequestDelegate next, ConnectionRegistry registry, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<SessionAuthenticationFeature>()?.Session is not { } session)
        {
            return next(context);
        }
        var connection = new TrackedConnection(context, session, time.GetTimestamp());
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        var upgrading = upgrade?.IsUpgradableRequest == true || connect?.IsExtendedConnect == true;
        if (upgrading)
        {
            if (!registry.TryReserve(connection))
            {
                return GatewayResponses.TooManyConnectionsAsync(context, ConnectionRegistry.RefusedRetryAfter);
            }
            var tracking = new UpgradeTrackingFeature(upgrade, connect, connection, registry, IsWebSocket(context, connect), time);
            if (upgrade?.IsUpgradableRequest == true)
            {
                context.Features.Set<IHttpUpgradeFeature>(tracking);
            }
            else
            {
                context.Features.Set<IHttpExtendedConnectFeature>(tracking);
            }
        }
        else
        {
            registry.Begin(connection);
        }
        context.Features.Set(connection);
        return RunAsync(context, connection);
    }

    private async Task RunAsync(HttpContext context, TrackedConnection connection)
    {
        try
        {
            await next(context);
        }
        finally
        {
            registry.Complete(connection);
        }
    }

    private static bool IsWebSocket(HttpContext context, IHttpExtendedConnectFeature? connect) =>
        connect?.IsExtendedConnect == true
            ? string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase)
            : string.Equals(context.Request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase);
}
