using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// A revoked session takes the remember-me token it came with: a device signed out from "my sessions", by an admin,
/// by the cap or by the user-agent binding does not come straight back by its remember cookie. Logout forgets the
/// token of the cookie named exactly so. Against real Redis (single and cluster) and in memory.
/// </summary>
public abstract class RememberMeRevocationTests(IStoreFixture? store) : RememberMeTestBase(store)
{
    [Fact]
    public async Task Sessions_DeleteRememberedDeviceByHandle_DeviceNotBackByItsToken()
    {
        var (phone, phoneToken) = await LoginRememberedAsync();
        var laptop = await LoginAsync("alice");

        var revoked = await SendAsync(HttpMethod.Delete, $"/auth/sessions/{await HandleOfAsync(phone)}", WithCookie(laptop));

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await AssertNotBackAsync(phone, phoneToken);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(laptop))).StatusCode);
    }

    [Fact]
    public async Task Admin_DeleteRememberedSessionByHandle_DeviceNotBackByItsToken()
    {
        var (phone, phoneToken) = await LoginRememberedAsync();
        var admin = await LoginAsync("bob");

        var revoked = await SendAsync(HttpMethod.Delete, $"/auth/admin/users/alice/sessions/{await HandleOfAsync(phone)}", WithCookie(admin));

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await AssertNotBackAsync(phone, phoneToken);
    }

    [Fact]
    public async Task Login_CapEvictsRememberedSession_DeviceNotBackByItsToken()
    {
        Host.SetConfiguration("Gateway:Session:MaxPerUser", "1");
        var (phone, phoneToken) = await LoginRememberedAsync();
        Host.Clock.Advance(TimeSpan.FromMinutes(1));

        var laptop = await LoginAsync("alice"); // the cap of 1 evicts the phone

        await AssertNotBackAsync(phone, phoneToken);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(laptop))).StatusCode);
    }

    [Fact]
    public async Task Proxy_RememberedSessionUnderOtherUserAgent_RevokedWithItsToken()
    {
        Host.SetConfiguration("Gateway:Session:BindUserAgent", "true");
        var (phone, phoneToken) = await LoginRememberedAsync();

        var stolen = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={phone}; {phoneToken}");
            r.Headers.UserAgent.ParseAdd("evil/1.0");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, stolen.StatusCode);
        await AssertNotBackAsync(phone, phoneToken);
    }

    [Fact]
    public async Task Logout_RememberCookieAlsoUnderOtherCase_ForgetsTheExactNameOnly()
    {
        var (_, mine) = await LoginRememberedAsync();
        var (_, other) = await LoginRememberedAsync();
        var plain = await LoginAsync("alice");

        // ASP.NET's Request.Cookies ignores case and keeps the last copy: it would forget "other" and keep "mine".
        var logout = await SendAsync(HttpMethod.Post, "/auth/logout", r => r.Headers.Add("Cookie", $"sid={plain}; {mine}; SID-REMEMBER={other["sid-remember=".Length..]}"));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", mine))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Add("Cookie", other))).StatusCode);
    }

    // The device's next request, with both its cookies, is not signed in again, and the token is gone from the store.
    private async Task AssertNotBackAsync(string sid, string token)
    {
        var back = await GetAsync("/x", r => r.Headers.Add("Cookie", $"sid={sid}; {token}"));
        Assert.Equal(HttpStatusCode.Unauthorized, back.StatusCode);
        Assert.True(string.IsNullOrEmpty(SessionCookie(back)), "a fresh session was issued");
        if (RedisDeployment is not null)
        {
            Assert.Empty(RedisDeployment.Keys(Host.KeyPrefix + "r:"));
        }
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisRememberMeRevocationTests(RedisServer redis) : RememberMeRevocationTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterRememberMeRevocationTests(RedisCluster cluster) : RememberMeRevocationTests(cluster);

public sealed class InMemoryRememberMeRevocationTests() : RememberMeRevocationTests(null);
