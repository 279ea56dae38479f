using System.Diagnostics;
using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// The store-call span names the store the gateway really uses in <c>db.system.name</c>, with OpenTelemetry's
/// semantic-convention values (a PostgreSQL or SQLite call reported as Redis would send an operator to the wrong database).
/// </summary>
public abstract class StoreSpanTests(IStoreFixture store, string system) : TelemetryTestBase(store)
{
    [Fact]
    public async Task Proxy_CookieSession_StoreSpanNamesTheStore()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/app/page", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceparent = Assert.Single(Backend.Last.Values("traceparent"));
        var spans = await TraceAsync(ActivityTraceId.CreateFromString(traceparent.Split('-')[1]), servers: 2);
        var read = Assert.Single(spans, s => s.Source.Name == "Gateway" && s.DisplayName == "store get");
        Assert.Equal(ActivityKind.Client, read.Kind);
        Assert.Equal(system, read.GetTagItem("db.system.name"));
        Assert.Equal("ok", read.GetTagItem("gateway.store.outcome"));
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class RedisStoreSpanTests(RedisServer redis) : StoreSpanTests(redis, "redis");

[Collection(TelemetryCollection.Name)]
public sealed class PostgresStoreSpanTests(PostgresServer postgres) : StoreSpanTests(postgres, "postgresql"), IClassFixture<PostgresServer>;

[Collection(TelemetryCollection.Name)]
public sealed class SqliteStoreSpanTests(SqliteStoreFixture sqlite) : StoreSpanTests(sqlite, "sqlite"), IClassFixture<SqliteStoreFixture>;
