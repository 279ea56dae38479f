using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Security events and the session lifecycle are capped apart: one user's routine logins and logouts, however many,
/// cannot push another user's brute-force records out of the trail. Against every store (the relational ones derive it
/// beside their other suites).
/// </summary>
public abstract class AuditRetentionTests(IStoreFixture? store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Audit:MaxEntries"] = "100",
        ["Gateway:Audit:MaxSecurityEntries"] = "100",
    };

    [Fact]
    public async Task Audit_ManyLoginLogoutCyclesByOneUser_AnotherUsersFailedLoginsKept()
    {
        for (var i = 0; i < 3; i++)
        {
            var failed = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "guess-" + i), ("returnUrl", "/"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // 150 cycles: 300 lifecycle entries, three times the cap (Redis trims MAXLEN ~ by whole nodes of 100).
        for (var i = 0; i < 150; i++)
        {
            var sid = await LoginAsync("bob");
            Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", sid)).StatusCode);
        }

        var admin = await LoginAsync("bob");
        var alice = await ReadAsync(admin, "?user=alice");
        Assert.Equal(3, alice.Count(e => e.Kind == "login_failed"));
        var all = await ReadAsync(admin, "?count=1000");
        Assert.Equal(3, all.Count(e => e.Kind == "login_failed" && e.User == "alice"));
        Assert.InRange(all.Count(e => e.User == "bob"), 100, 250); // the lifecycle is capped, not the failures
        Assert.Equal(all.OrderByDescending(e => e.Time).Select(e => e.Time), all.Select(e => e.Time));
    }

    private async Task<List<(DateTimeOffset Time, string Kind, string User)>> ReadAsync(string admin, string query)
    {
        var response = await GetAsync("/auth/admin/audit" + query, WithCookie(admin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("time").GetDateTimeOffset(), e.GetProperty("kind").GetString()!, e.GetProperty("user").GetString()!))
            .ToList();
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisAuditRetentionTests(RedisServer redis) : AuditRetentionTests(redis);

public sealed class InMemoryAuditRetentionTests() : AuditRetentionTests(null);
