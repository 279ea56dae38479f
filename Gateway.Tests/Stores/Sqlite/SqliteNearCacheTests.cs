using System.Net;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>
/// SQLite's near cache is dropped in process, in the call that changes the store: with a 10 s lifetime, a session the
/// gateway ended is refused at once, never served from the copy for the rest of its lifetime.
/// </summary>
public sealed class SqliteNearCacheTests(SqliteStoreFixture sqlite) : GatewayTestBase(sqlite), IClassFixture<SqliteStoreFixture>
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = "00:00:10" };

    private NearCacheSessionStore Cache => (NearCacheSessionStore)Host.Services.GetRequiredService<ISessionStore>();

    [Fact]
    public async Task Logout_SessionCached_RefusedAtOnce()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/app", WithCookie(sid))).StatusCode);
        Assert.True(Cache.Count > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(sid))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/app", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task RevokeByHandle_OtherSessionCached_RefusedAtOnce()
    {
        var phone = await LoginAsync("alice");
        var laptop = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/app", WithCookie(phone))).StatusCode);
        var handle = SessionId.TryParse(phone, out var id) ? id.Key.Handle : throw new Xunit.Sdk.XunitException("unparsable sid");

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/auth/sessions/{handle}", WithCookie(laptop))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/app", WithCookie(phone))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/app", WithCookie(laptop))).StatusCode);
    }
}
