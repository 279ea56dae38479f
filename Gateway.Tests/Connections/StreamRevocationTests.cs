using System.Diagnostics.Metrics;
using System.Net;
using Gateway.Connections;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Connections;

/// <summary>
/// Event streams and long responses end with their session; the bound on tracked connections refuses rather than
/// leaving a connection untracked; closes are counted by reason.
/// </summary>
public sealed class StreamRevocationTests() : LiveConnectionTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Connections:StreamAfter"] = "00:00:01",
    };

    [Fact]
    public async Task Logout_OpenEventStream_StreamEnds()
    {
        var sid = await LoginAsync("alice");
        var events = await OpenStreamAsync(sid, "/events");

        await PostAsync("/auth/logout", sid);

        Assert.True(await EndsAsync(events));
    }

    [Fact]
    public async Task Logout_ResponseStreamingPastStreamAfter_StreamEnds()
    {
        var sid = await LoginAsync("alice");
        var slow = await OpenStreamAsync(sid, "/slow");
        var registry = Host.Services.GetRequiredService<ConnectionRegistry>();
        await Eventually.HoldsAsync(() => registry.Count == 1, "the long response tracked");

        await PostAsync("/auth/logout", sid);

        Assert.True(await EndsAsync(slow));
        await Eventually.HoldsAsync(() => registry.Count == 0, "the ended stream untracked");
    }

    [Fact]
    public async Task OpenEventStream_OtherSessionLogsOut_KeepsFlowing()
    {
        var sid = await LoginAsync("alice");
        var other = await LoginAsync("alice");
        var events = await OpenStreamAsync(sid, "/events");

        await PostAsync("/auth/logout", other);

        Assert.True(await events.ReadAsync(new byte[64]) > 0);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task MaxTracked_Reached_NewWebSocketAndEventStreamRefused503()
    {
        Host.SetConfiguration("Gateway:Connections:MaxTracked", "1");
        var sid = await LoginAsync("alice");
        using var first = await ConnectAsync(sid);

        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => ConnectAsync(sid));
        var events = await SendAsync(HttpMethod.Get, "/events", WithCookie(sid));

        Assert.Contains("503", refused.Message);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, events.StatusCode);
        Assert.Equal("5", events.Headers.RetryAfter?.ToString());
        Assert.Equal("application/json", events.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"error\":\"too_many_connections\"", await events.Content.ReadAsStringAsync());
        Assert.Equal("alice: still", await EchoAsync(first, "still"));
    }

    [Fact]
    public async Task ClosedConnection_Counted_ByReasonAndKind()
    {
        var closed = new List<(string? Reason, string? Kind)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "gateway.connections.closed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? reason = null, kind = null;
            foreach (var tag in tags)
            {
                reason = tag.Key == "gateway.connection.close_reason" ? tag.Value as string : reason;
                kind = tag.Key == "gateway.connection.kind" ? tag.Value as string : kind;
            }
            lock (closed)
            {
                closed.Add((reason, kind));
            }
        });
        listener.Start();
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        await PostAsync("/auth/logout", sid);

        await ClosedAsync(socket);
        await Eventually.HoldsAsync(() => { lock (closed) { return closed.Contains(("logout", "websocket")); } }, "a gateway.connections.closed measurement (logout, websocket)");
    }
}
