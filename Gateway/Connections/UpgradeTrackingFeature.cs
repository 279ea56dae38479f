using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Connections;

/// <summary>
/// Stands in for the server's upgrade feature (HTTP/1.1) or extended CONNECT feature (HTTP/2) of a request under a
/// session: when YARP upgrades the client side, the connection is tracked, and a WebSocket's stream is handed back
/// wrapped in a <see cref="WebSocketCloseStream"/>.
/// </summary>
internal sealed class UpgradeTrackingFeature(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect, TrackedConnection connection,
    ConnectionRegistry registry, bool webSocket, TimeProvider time) : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    public bool IsUpgradableRequest => upgrade?.IsUpgradableRequest == true;

    public bool IsExtendedConnect => connect?.IsExtendedConnect == true;

    public string? Protocol => connect?.Protocol;

    public async Task<Stream> UpgradeAsync() => Tracked(await upgrade!.UpgradeAsync());

    public async ValueTask<Stream> AcceptAsync() => Tracked(await connect!.AcceptAsync());

    private Stream Tracked(Stream stream)
    {
        if (webSocket)
        {
            stream = connection.Socket = new WebSocketCloseStream(stream, time);
        }
        registry.Track(connection, webSocket ? "websocket" : "upgrade");
        return stream;
    }
}
