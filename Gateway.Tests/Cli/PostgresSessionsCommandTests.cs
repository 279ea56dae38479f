using System.Net;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Cli;

/// <summary>
/// The <c>sessions</c> command on a running gateway's PostgreSQL schema; a revoke reaches that gateway's near cache
/// through <c>NOTIFY</c>, whether or not the command's own configuration has the near cache on.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionsCommandTests(PostgresServer postgres) : SessionsCommandTests(postgres)
{
    // The near cache's bound runs on the real clock: only a NOTIFY can end a copy within the 3 s fail-safe.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = "00:00:10" };

    [Theory]
    [InlineData("00:00:10")]
    [InlineData("00:00:00")]
    public async Task SessionsRevoke_GatewayWithNearCache_CachedCopyDroppedByNotify(string commandNearCache)
    {
        var listener = Host.Services.GetRequiredService<PostgresListener>();
        await Eventually.HoldsAsync(() => listener.Listening, "the gateway listening");
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);

        var (code, _, error) = await RunAsync(["sessions", "revoke", "--user", "alice", "--handle", await HandleAsync(sid), .. await ConfigAsync(),
            $"--Gateway:Store:NearCache={commandNearCache}"]);

        Assert.True(code == 0, error);
        Assert.True(await AnswersWithinAsync(sid, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(3)), "the gateway's near cache kept the session the command revoked");
    }
}
