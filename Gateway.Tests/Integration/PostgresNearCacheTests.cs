using System.Net;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateways on one PostgreSQL database with the near cache on at its 10 s maximum, so that only a NOTIFY, not the
/// cache bound, can make a change visible within the tests' 3 s fail-safe; and the listening connection ended by the
/// server (<c>pg_terminate_backend</c>), as a failover or a restart would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNearCacheTests(PostgresServer postgres) : TwoGatewaysTestBase(postgres, "00:00:10")
{
    private static readonly TimeSpan FailSafe = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Logout_OnOneGateway_OtherGatewayDropsItsCachedCopy()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(sid))).StatusCode);

        Assert.True(await OtherAnswersWithinAsync(sid, HttpStatusCode.Unauthorized, FailSafe), "the other gateway still accepted the revoked session after 3 s");
    }

    [Fact]
    public async Task Get_SessionDeletedBehindTheGatewaysBack_ServedFromCacheWithinBound()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));

        Assert.Equal(1, await DeleteSessionsAsync()); // no NOTIFY: only the bound would end the copy

        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
    }

    [Fact]
    public async Task Listener_TerminatedByServer_CacheEmptiedThenListensAgainAndLogoutsStillReachIt()
    {
        var listener = Other.Services.GetRequiredService<PostgresListener>();
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
        Assert.Equal(1, await DeleteSessionsAsync());
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

    private async Task<int> DeleteSessionsAsync()
    {
        await using var command = postgres.Admin.CreateCommand($"DELETE FROM \"{PostgresServer.SchemaOf(Prefix)}\".login_session");
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<HttpStatusCode> OtherStatusAsync(string sid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app");
        request.Headers.Add("Cookie", $"sid={sid}");
        request.Headers.Add("Accept", "application/json");
        using var response = await OtherClient.SendAsync(request);
        return response.StatusCode;
    }

    private Task<bool> OtherAnswersWithinAsync(string sid, HttpStatusCode expected, TimeSpan bound) =>
        Eventually.WithinAsync(async () => await OtherStatusAsync(sid) == expected, bound, TimeSpan.FromMilliseconds(10));
}
