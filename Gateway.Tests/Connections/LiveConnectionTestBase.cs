using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Connections;

/// <summary>
/// A gateway in front of a <see cref="LiveBackend"/> (WebSocket echo, event stream, slow response), with clients that
/// hold connections open under a session cookie and tell how they ended.
/// </summary>
public abstract class LiveConnectionTestBase(IStoreFixture? store) : RememberMeTestBase(store)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected LiveBackend Live { get; private set; } = null!;

    protected override string BackendUrl => Live.Url;

    public override async Task InitializeAsync()
    {
        Live = await LiveBackend.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Live.DisposeAsync();
    }

    /// <summary>Opens a WebSocket to the echo backend through <paramref name="host"/> (default: this class's gateway).</summary>
    protected async Task<ClientWebSocket> ConnectAsync(string sid, GatewayHost? host = null, string? userAgent = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"sid={sid}");
        if (userAgent is not null)
        {
            socket.Options.SetRequestHeader("User-Agent", userAgent);
        }
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(new UriBuilder((host ?? Host).Address) { Scheme = "ws", Path = "/ws" }.Uri, timeout.Token);
        return socket;
    }

    /// <summary>Sends <paramref name="text"/> and returns the backend's answer ("user: text").</summary>
    protected static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    /// <summary>Reads until the gateway closes the socket; returns the close status (null: dropped without a Close).</summary>
    protected static async Task<WebSocketCloseStatus?> ClosedAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, timeout.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return received.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the socket was still open after {Patience.TotalSeconds} s");
        }
    }

    /// <summary>Opens a streaming response (<c>/events</c> or <c>/slow</c>) and returns its body, checked to be flowing.</summary>
    protected async Task<Stream> OpenStreamAsync(string sid, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"sid={sid}");
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync();
        Assert.True(await body.ReadAsync(new byte[64]) > 0);
        return body;
    }

    /// <summary>True when the stream ends (closed or aborted) within the patience; false while it still flows.</summary>
    protected static async Task<bool> EndsAsync(Stream body)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[4096];
        try
        {
            while (await body.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (HttpRequestException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until the audit trail, read as an admin, holds an entry for alice of this kind and detail.</summary>
    protected async Task AuditedAsync(string kind, string detail)
    {
        var admin = await LoginAsync("bob");
        await Eventually.HoldsAsync(async () =>
        {
            using var audit = JsonDocument.Parse(await (await GetAsync("/auth/admin/audit?user=alice", WithCookie(admin))).Content.ReadAsStringAsync());
            return audit.RootElement.EnumerateArray().Any(e => e.GetProperty("kind").GetString() == kind && e.GetProperty("detail").GetString() == detail);
        }, $"an audit event {kind} ({detail})");
    }

    protected Task<HttpResponseMessage> PostAsync(string path, string sid) => SendAsync(HttpMethod.Post, path, WithCookie(sid));
}
