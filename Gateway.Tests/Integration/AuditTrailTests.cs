using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// One audit entry per session event, read back by an admin from <c>/auth/admin/audit</c>: how a session was
/// created, why it was rotated, who or what ended it, and why it expired. Against real Redis and in memory.
/// </summary>
public abstract class AuditTrailTests(IStoreFixture? store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:MaxPerUser"] = "2",
    };

    [Fact]
    public async Task Audit_CreatedByEachMethod_MethodRecorded()
    {
        await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));
        var json = await SendAsync(HttpMethod.Post, "/auth/login", r => r.Content = new StringContent(
            """{"username":"alice","password":"alice-password","remember":true}""", Encoding.UTF8, "application/json"));
        var remember = SetCookie(json, "sid-remember")!.Split(';')[0];
        await GetAsync("/x", r => r.Headers.Add("Cookie", remember));

        var created = await EventsAsync("alice", "created");

        Assert.Equal(["remember", "json", "basic"], created.Select(e => e.Detail));
        Assert.All(created, e => Assert.Equal(16, e.Handle!.Length));
    }

    [Fact]
    public async Task Audit_RevokedSelfAdminAndCap_ReasonAndActorRecorded()
    {
        // A minute apart: the cap evicts the session that expires first.
        var first = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await LoginAsync("alice"); // the cap of 2 evicts the first
        var admin = await LoginAsync("bob");
        await SendAsync(HttpMethod.Delete, $"/auth/sessions/{await HandleOfAsync(second)}", WithCookie(third));
        await SendAsync(HttpMethod.Delete, $"/auth/admin/users/alice/sessions/{await HandleOfAsync(third)}", WithCookie(admin));

        var revoked = await EventsAsync("alice", "revoked");

        Assert.Equal([("admin", "bob"), ("self", "alice"), ("cap", "gateway")], revoked.Select(e => (e.Detail, e.By)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(first))).StatusCode);
    }

    [Fact]
    public async Task Audit_RotatedByRenewalAndRoleChange_ReasonAndPreviousHandleRecorded()
    {
        Host.SetConfiguration("Gateway:Session:RenewalInterval", "00:20:00");
        var sid = await LoginAsync("alice");
        var before = await HandleOfAsync(sid);
        Host.Clock.Advance(TimeSpan.FromMinutes(21));
        var renewed = SessionCookie(await GetAsync("/x", WithCookie(sid)))!;
        var middle = await HandleOfAsync(renewed);
        Host.SetConfiguration("Gateway:Users:Roles:alice:1", "admin");
        Assert.False(string.IsNullOrEmpty(SessionCookie(await GetAsync("/x", WithCookie(renewed)))));

        var rotated = await EventsAsync("alice", "rotated");

        Assert.Equal([("roles_changed", middle), ("renewal", before)], rotated.Select(e => (e.Detail, e.By)));
        Assert.Equal(middle, rotated[1].Handle); // the renewal's new session is the one the role change replaced
        Assert.NotEqual(middle, rotated[0].Handle);
    }

    [Fact]
    public async Task Audit_PasswordChangedAndUserRemoved_SessionsEndWithReason()
    {
        var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        var carol = new Dictionary<string, string> { ["carol"] = "carol-password", ["bob"] = "bob-password" };
        // bob (the admin reading the trail) keeps his entry but gets a new hash; alice is removed.
        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(carol));
        await Eventually.HoldsAsync(async () => (await GetAsync("/x", r => r.Headers.Authorization = Basic("carol", "carol-password"))).StatusCode == HttpStatusCode.OK, "carol accepted after the users-file reload");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(alice))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(bob))).StatusCode);
        var admin = await LoginAsync("bob");

        Assert.Equal(["user_removed"], (await EventsAsync("alice", "revoked", admin)).Select(e => e.Detail));
        Assert.Equal(["password_changed"], (await EventsAsync("bob", "revoked", admin)).Select(e => e.Detail));
    }

    protected async Task<List<AuditEntry>> EventsAsync(string user, string kind, string? admin = null)
    {
        admin ??= await LoginAsync("bob");
        var response = await GetAsync($"/auth/admin/audit?user={user}", WithCookie(admin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == kind)
            .Select(e => new AuditEntry(Text(e, "session"), Text(e, "detail"), Text(e, "by")))
            .ToList();
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<string> HandleOfAsync(string sid)
    {
        using var document = JsonDocument.Parse(await (await GetAsync("/auth/session", WithCookie(sid))).Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("handle").GetString()!;
    }

    protected sealed record AuditEntry(string? Handle, string? Detail, string? By);
}

/// <summary>The trail against a Redis deployment, where a record can outlive the gateway's clock (below).</summary>
public abstract class StoredAuditTrailTests(IStoreFixture store) : AuditTrailTests(store)
{
    // Only a record still in the store can be found expired: here the fake clock runs ahead of Redis's own TTL
    // (as a clock step or a TTL rounded up would); the in-memory store drops records on the same clock.
    [Fact]
    public async Task Audit_IdleAndAbsoluteExpiry_NoticedAtNextUse()
    {
        var idle = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(idle))).StatusCode);
        var capped = await LoginAsync("alice");
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12); elapsed += TimeSpan.FromMinutes(25))
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(25));
            await GetAsync("/x", WithCookie(capped));
        }

        var expired = await EventsAsync("alice", "expired");

        Assert.Equal(["absolute_timeout", "idle_timeout"], expired.Select(e => e.Detail));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisAuditTrailTests(RedisServer redis) : StoredAuditTrailTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterAuditTrailTests(RedisCluster cluster) : StoredAuditTrailTests(cluster);

public sealed class InMemoryAuditTrailTests() : AuditTrailTests(null);
