using System.Net.WebSockets;
using Gateway.Stores.Postgres;
using Gateway.Tests.Cli;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Connections;

// A WebSocket open on a running gateway when the `sessions` command (another process's worth of services, with no
// connections of its own) revokes its session: how the gateway learns it depends on the store.

/// <summary>PostgreSQL: the command's NOTIFY reaches the gateway's connection registry, which closes the socket at once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionsCommandConnectionTests(PostgresServer postgres) : LiveConnectionTestBase(postgres)
{
    [Fact]
    public async Task SessionsRevoke_OpenWebSocket_ClosedWith1008ByNotify()
    {
        var listener = Host.Services.GetRequiredService<PostgresListener>();
        await Eventually.HoldsAsync(() => listener.Listening, "the gateway listening");
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Assert.Equal("alice: hi", await EchoAsync(socket, "hi"));

        // The gateway's clock is manual and never advanced: no timer check can close it, only the message.
        var (code, _, error) = await SessionsCommandTests.RunAsync(["sessions", "revoke", "--user", "alice", "--handle", await HandleOfAsync(sid),
            .. await SessionsCommandTests.ConfigAsync(Store!, Host)]);

        Assert.True(code == 0, error);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        Assert.Equal("session ended: ended", socket.CloseStatusDescription);
    }
}

/// <summary>
/// SQLite: no channel between processes; the socket stays open until the gateway's next check of the session, at the
/// touch interval, which finds it gone and closes it.
/// </summary>
public sealed class SqliteSessionsCommandConnectionTests(SqliteStoreFixture sqlite) : LiveConnectionTestBase(sqlite), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task SessionsRevoke_OpenWebSocket_ClosedWith1008AtNextTouchIntervalCheck()
    {
        var sid = await LoginAsync("alice");
        using var socket = await ConnectAsync(sid);
        Assert.Equal("alice: hi", await EchoAsync(socket, "hi"));

        var (code, _, error) = await SessionsCommandTests.RunAsync(["sessions", "revoke", "--user", "alice", "--handle", await HandleOfAsync(sid),
            .. await SessionsCommandTests.ConfigAsync(Store!, Host)]);

        Assert.True(code == 0, error);
        Assert.Equal("alice: still", await EchoAsync(socket, "still"));
        Host.Clock.Advance(TimeSpan.FromMinutes(1)); // Gateway:Session:TouchInterval's default
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ClosedAsync(socket));
        Assert.Equal("session ended: ended", socket.CloseStatusDescription);
    }
}
