using System.Net;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// <see cref="NearCacheTests"/> on one PostgreSQL database, where only a NOTIFY, not the cache bound, can make a change
/// visible within the tests' 3 s fail-safe; and the listening connection ended by the server
/// (<c>pg_terminate_backend</c>), as a failover or a restart would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNearCacheTests(PostgresServer postgres) : NearCacheTests(postgres)
{
    private static readonly TimeSpan FailSafe = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Listener_TerminatedByServer_CacheEmptiedThenListensAgainAndLogoutsStillReachIt()
    {
        var listener = Other.Services.GetRequiredService<PostgresListener>();
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
        Assert.Equal(1, await postgres.DeleteSessionsUnannouncedAsync(Prefix));
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid)); // the cached copy, which nothing announced the end of
        var first = listener.BackendProcessId!.Value;

        await using (var terminate = postgres.Admin.CreateCommand($"SELECT pg_terminate_backend({first})"))
        {
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        // Messages may have been missed while it was away: the copy goes at once, not at the 10 s bound.
        Assert.True(await OtherAnswersWithinAsync(sid, HttpStatusCode.Unauthorized, FailSafe), "the cache was not emptied when its listener died");
        await Eventually.HoldsAsync(() => listener.Listening && listener.BackendProcessId is { } pid && pid != first, "the listener reconnected");
        var next = await LoginAsync("alice");
        Assert.True(await OtherAnswersWithinAsync(next, HttpStatusCode.OK, FailSafe));
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(next));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(next))).StatusCode);
        Assert.True(await OtherAnswersWithinAsync(next, HttpStatusCode.Unauthorized, FailSafe), "a logout after the reconnect did not reach the other gateway");
    }

    private Task<bool> OtherAnswersWithinAsync(string sid, HttpStatusCode expected, TimeSpan bound) =>
        Eventually.WithinAsync(async () => await OtherStatusAsync(sid) == expected, bound, TimeSpan.FromMilliseconds(10));
}
