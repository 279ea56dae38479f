using System.Net;
using System.Net.WebSockets;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Connections;

/// <summary>
/// What does not end a connection: an open socket keeps its session from idling out, another session of the same user
/// ending leaves it alone, and a rotation moves it to the new id.
/// </summary>
public sealed class ConnectionLifetimeTests() : LiveConnectionTestBase(null)
{
    [Fact]
    public async Task IdleTimeout_TrafficOnOpenSocket_SessionKeptAlive()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        var registry = Host.Services.GetRequiredService<Gateway.Connections.ConnectionRegistry>();
        await Eventually.HoldsAsync(() => registry.Count == 1, "the socket tracked");

        // An hour in steps shorter than the idle timeout (30 min), chatting all along: each step is a due touch.
        var store = Host.Services.GetRequiredService<Gateway.Sessions.ISessionStore>();
        Assert.True(Gateway.Sessions.SessionId.TryParse(sid, out var id));
        for (var step = 0; step < 6; step++)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal($"alice: {step}", await EchoAsync(socket, step.ToString()));
            await Eventually.ValueAsync(async () => (await store.GetAsync(id.Key, CancellationToken.None))?.LastSeen,
                lastSeen => !(lastSeen < Host.Clock.GetUtcNow() - TimeSpan.FromMinutes(1)), "the open socket touching its session");
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Logout_SecondSessionOfSameUser_KeepsItsSocket()
    {
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");
        using var kept = await ConnectAsync(first);
        using var closed = await ConnectAsync(second);

        await PostAsync("/auth/logout", second);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(closed));
        Assert.Equal("alice: still here", await EchoAsync(kept, "still here"));
    }

    [Fact]
    public async Task Rotation_OpenWebSocket_KeptAndFollowsTheNewId()
    {
        Host.SetConfiguration("Gateway:Session:RenewalInterval", "00:05:00");
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Host.Clock.Advance(TimeSpan.FromMinutes(6));

        var rotating = await GetAsync("/x", WithCookie(sid));
        var rotated = SessionCookie(rotating);
        Assert.False(string.IsNullOrEmpty(rotated));
        Host.Clock.Advance(TimeSpan.FromMinutes(2)); // past the old id's grace
        Assert.Equal("alice: rotated", await EchoAsync(socket, "rotated"));

        await PostAsync("/auth/logout", rotated!);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }
}
