using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Redeeming a remember-me cookie: the session is created before the validator rotates, and the rotation is a
/// compare-and-set, so tabs redeeming one cookie at once never look like a theft, and a redemption that could not
/// create its session leaves the cookie good. A wrong validator still is a theft.
/// </summary>
public abstract class RememberMeRedemptionTests(IStoreFixture? store) : RememberMeTestBase(store)
{
    private const int Tabs = 8;

    [Fact]
    public async Task RememberMe_ParallelRedemptionsOfOneCookie_OneRotationNoTheft()
    {
        var (_, token) = await LoginRememberedAsync();
        Host.Clock.Advance(TimeSpan.FromMinutes(45)); // the session is over; the token is not

        var responses = await Task.WhenAll(Enumerable.Range(0, Tabs).Select(i => GetAsync($"/tab/{i}", r => r.Headers.Add("Cookie", token))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Only the redemption that rotated hands out a new validator; one handed out by a loser would be a theft later.
        var handedOut = Assert.Single(responses.Select(r => SetCookie(r, "sid-remember")?.Split(';')[0]).OfType<string>());
        Host.Clock.Advance(TimeSpan.FromMinutes(2)); // past the previous validator's grace
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/later", r => r.Headers.Add("Cookie", handedOut))).StatusCode);
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(SessionCookie(response)!))).StatusCode);
        }
        Assert.DoesNotContain("remember_theft", await KindsAsync());
    }

    [Fact]
    public async Task RememberMe_WrongValidatorForKnownSelector_TheftRevokesEverything()
    {
        var (sid, token) = await LoginRememberedAsync();
        var validator = token[(token.IndexOf('.') + 1)..];
        var forged = token[..(token.IndexOf('.') + 1)] + (validator[0] == 'A' ? 'B' : 'A') + validator[1..];

        var thief = await GetAsync("/x", r => r.Headers.Add("Cookie", forged));

        Assert.Equal(HttpStatusCode.Unauthorized, thief.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", token))).StatusCode);
        Assert.Contains("remember_theft", await KindsAsync());
    }

    [Fact]
    public async Task RememberMe_RedemptionRefusedByCap_CookieStillGoodAfterTheGrace()
    {
        var (_, token) = await LoginRememberedAsync();
        Host.Clock.Advance(TimeSpan.FromMinutes(45));
        if (Store is not null)
        {
            // Its idle expiry runs on the store's clock, not the test's: end it as the store would have.
            await Store.ExpireSessionsAsync(Host.KeyPrefix);
        }
        var other = await LoginAsync("alice");
        Host.SetConfiguration("Gateway:Session:MaxPerUser", "1");
        Host.SetConfiguration("Gateway:Session:OnLimit", "Reject");

        var refused = await GetAsync("/x", r => r.Headers.Add("Cookie", token));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(SetCookie(refused, "sid-remember"));
        await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(other));
        Host.Clock.Advance(TimeSpan.FromMinutes(2));

        var back = await GetAsync("/x", r => r.Headers.Add("Cookie", token));

        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.DoesNotContain("remember_theft", await KindsAsync());
    }

    private async Task<List<string?>> KindsAsync()
    {
        var admin = await LoginAsync("bob");
        using var audit = JsonDocument.Parse(await (await GetAsync("/auth/admin/audit?user=alice", WithCookie(admin))).Content.ReadAsStringAsync());
        return audit.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisRememberMeRedemptionTests(RedisServer redis) : RememberMeRedemptionTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterRememberMeRedemptionTests(RedisCluster cluster) : RememberMeRedemptionTests(cluster);

public sealed class InMemoryRememberMeRedemptionTests() : RememberMeRedemptionTests(null);
