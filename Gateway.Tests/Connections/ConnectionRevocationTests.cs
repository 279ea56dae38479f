using System.Net;
using System.Net.WebSockets;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Connections;

/// <summary>
/// Issue 17 item 1: a WebSocket opened with a session is closed with 1008 (policy violation) by the gateway on every
/// path that ends the session, and only then; the backend behind is a real WebSocket server.
/// </summary>
public sealed class ConnectionRevocationTests() : LiveConnectionTestBase(null)
{
    [Fact]
    public async Task Logout_OpenWebSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Assert.Equal("alice: hi", await EchoAsync(socket, "hi"));

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/auth/logout", sid)).StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        Assert.Equal("session ended: logout", socket.CloseStatusDescription);
        await AuditedAsync("connection_closed", "logout");
    }

    [Fact]
    public async Task LogoutEverywhere_SocketOfAnotherSession_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        var other = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync("/auth/logout?scope=all", other)).StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task RevokeByHandle_OpenWebSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        var other = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        var revoke = await SendAsync(HttpMethod.Delete, "/auth/sessions/" + await HandleOfAsync(sid), WithCookie(other));

        Assert.True(revoke.IsSuccessStatusCode, revoke.StatusCode.ToString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task AdminRevokesUser_OpenWebSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        var admin = await LoginAsync("bob");
        using var socket = await ConnectAsync(sid);

        var revoke = await SendAsync(HttpMethod.Delete, "/auth/admin/users/alice/sessions", WithCookie(admin));

        Assert.True(revoke.IsSuccessStatusCode, revoke.StatusCode.ToString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task CapEviction_OldestSessionsSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Host.SetConfiguration("Gateway:Session:MaxPerUser", "1");

        await LoginAsync("alice");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task PasswordChanged_OpenWebSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(new Dictionary<string, string> { ["alice"] = "new-password", ["bob"] = "bob-password" }));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        await AuditedAsync("connection_closed", "password_changed");
    }

    [Fact]
    public async Task UserRemoved_OpenWebSocket_ClosedWith1008()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(new Dictionary<string, string> { ["bob"] = "bob-password" }));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task RememberMeTheft_OpenWebSocket_ClosedWith1008()
    {
        var (sid, token) = await LoginRememberedAsync();
        using var socket = await ConnectAsync(sid);
        var validator = token[(token.IndexOf('.') + 1)..];
        var forged = token[..(token.IndexOf('.') + 1)] + (validator[0] == 'A' ? 'B' : 'A') + validator[1..];

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", forged))).StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task UserAgentBinding_CookieFromAnotherAgent_SocketClosedWith1008()
    {
        Host.SetConfiguration("Gateway:Session:BindUserAgent", "true");
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.Add("User-Agent", "thief/1.0");
        })).StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
    }

    [Fact]
    public async Task AbsoluteExpiry_OpenWebSocket_ClosedByTimer()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Assert.Equal("alice: hi", await EchoAsync(socket, "hi"));

        Host.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        Assert.Equal("session ended: absolute_timeout", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task IdleTimeout_TrafficOnOpenSocket_SessionKeptAlive()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        var registry = Host.Services.GetRequiredService<Gateway.Connections.ConnectionRegistry>();
        await EventuallyAsync(() => registry.Count == 1, "the socket was never tracked");

        // An hour in steps shorter than the idle timeout (30 min), chatting all along: each step is a due touch.
        var store = Host.Services.GetRequiredService<Gateway.Sessions.ISessionStore>();
        Assert.True(Gateway.Sessions.SessionId.TryParse(sid, out var id));
        for (var step = 0; step < 6; step++)
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal($"alice: {step}", await EchoAsync(socket, step.ToString()));
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while ((await store.GetAsync(id.Key, CancellationToken.None))?.LastSeen < Host.Clock.GetUtcNow() - TimeSpan.FromMinutes(1))
            {
                Assert.True(DateTime.UtcNow < deadline, "the open socket did not touch its session");
                await Task.Delay(50);
            }
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
