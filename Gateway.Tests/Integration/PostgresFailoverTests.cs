using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// The gateway on a PostgreSQL primary with a synchronous streaming standby, through a multi-host connection string
/// (<c>Target Session Attributes=primary</c>): a revocation is acknowledged only once the standby has it, the primary
/// is killed, the standby promoted, and the gateway follows without a restart, answering 503 (never 500) while there
/// is no primary. The near cache is off, so every answer comes from the database. Owns its two servers.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class PostgresFailoverTests() : GatewayTestBase(new PostgresReplicated())
{
    private PostgresReplicated Servers => (PostgresReplicated)Store!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:Provider"] = "Postgres",
        ["Gateway:Store:NearCache"] = "00:00:00",
    };

    public override async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Servers.DisposeAsync();
        }
    }

    [Fact]
    public async Task Logout_AcknowledgedThenPrimaryKilledAndStandbyPromoted_StaysRevokedAndWritesResume()
    {
        var revoked = await LoginAsync("alice");
        var kept = await LoginAsync("bob");
        var unconfirmed = await LoginAsync("alice");

        // What makes the acknowledgement mean something: with the standby not confirming, a logout is not acknowledged.
        // (With asynchronous replication it would be, and a failover at this moment would bring the session back.)
        await Servers.FreezeReceiverAsync(true);
        HttpResponseMessage waiting;
        try
        {
            waiting = await PostFormAsync("/auth/logout", unconfirmed);
        }
        finally
        {
            await Servers.FreezeReceiverAsync(false);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.NotNull(waiting.Headers.RetryAfter);

        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", revoked)).StatusCode);

        await Servers.Primary.CrashAsync();

        // No primary at all until the promotion: what needs the store is refused with 503, never 500, never let through.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var read = await GetAsync("/x", WithCookie(kept));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.NotNull(read.Headers.RetryAfter);
            var login = await PostFormAsync("/auth/login", ("username", "bob"), ("password", "bob-password"), ("returnUrl", "/"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.NotNull(login.Headers.RetryAfter);
        }
        Assert.DoesNotContain(Backend.Received, r => r.PathAndQuery == "/x");

        await Servers.Standby.PromoteAsync();

        var seen = new List<HttpStatusCode>();
        await Eventually.HoldsAsync(async () =>
        {
            var login = await PostFormAsync("/auth/login", ("username", "bob"), ("password", "bob-password"), ("returnUrl", "/"));
            seen.Add(login.StatusCode);
            return login.StatusCode == HttpStatusCode.SeeOther;
        }, "a login after the promotion", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), () => string.Join(", ", seen.Distinct()));
        Assert.All(seen, s => Assert.Contains(s, new[] { HttpStatusCode.SeeOther, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(revoked))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(kept))).StatusCode);
        Assert.Equal(["bob"], Backend.Last.Values("X-Auth-User"));
    }
}
