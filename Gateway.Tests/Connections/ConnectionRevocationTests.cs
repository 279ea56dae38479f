using System.Net;
using System.Net.WebSockets;
using Gateway.Tests.Fixtures;

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

    [Theory]
    [InlineData("alice", "/auth/sessions/{handle}")]
    [InlineData("bob", "/auth/admin/users/alice/sessions")]
    public async Task RevokeByHandleOrAdmin_OpenWebSocket_ClosedWith1008(string revoker, string path)
    {
        var sid = await LoginAsync("alice");
        var other = await LoginAsync(revoker);
        using var socket = await ConnectAsync(sid);

        var revoke = await SendAsync(HttpMethod.Delete, path.Replace("{handle}", await HandleOfAsync(sid), StringComparison.Ordinal), WithCookie(other));

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

    [Theory]
    [InlineData("new-password", "password_changed")]
    [InlineData(null, "user_removed")]
    public async Task PasswordChangedOrUserRemoved_OpenWebSocket_ClosedWith1008(string? newPassword, string reason)
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        var users = new Dictionary<string, string> { ["bob"] = "bob-password" };
        if (newPassword is not null)
        {
            users["alice"] = newPassword;
        }

        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(users));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        await AuditedAsync("connection_closed", reason);
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
}
