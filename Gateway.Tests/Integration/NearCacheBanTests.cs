using System.Net;
using Gateway.Security;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// The "not banned" memo of the near cache (<c>Gateway:Store:NearCache</c>) must not let a banned guesser use a live
/// Basic credential link: two gateways on one store, alice's credentials linked and her ban check answered from
/// memory, then a ban made elsewhere, on this gateway, or behind both gateways' backs.
/// </summary>
public abstract class NearCacheBanTestBase(IStoreFixture store, string lifetime) : TwoGatewaysTestBase(store, lifetime)
{
    /// <summary>Links alice's credentials on this gateway and has it remember that she is not banned.</summary>
    protected async Task PrimeAsync()
    {
        var memo = Assert.IsType<NearCacheThrottleStore>(Host.Services.GetRequiredService<IThrottleStore>());
        // Nothing is remembered until the subscription is confirmed, just after start.
        await Eventually.HoldsAsync(async () =>
        {
            if (memo.Count > 0)
            {
                return true;
            }
            Assert.Equal(HttpStatusCode.OK, await BasicAsync(Client, "alice-password"));
            return false;
        }, "the ban check remembered", poll: TimeSpan.FromMilliseconds(20));
        Assert.Equal(HttpStatusCode.OK, await BasicAsync(Client, "alice-password"));
    }

    /// <summary>Bans alice from 127.0.0.1 in the store directly, as the failure count would, but announcing nothing.</summary>
    protected async Task BanBehindTheGatewaysBackAsync() =>
        await Store!.BanUnannouncedAsync(Prefix, new ThrottleSubject("login", "alice", "127.0.0.1").Id, "alice", "127.0.0.1",
            Host.Clock.GetUtcNow().AddMinutes(5), TimeSpan.FromMinutes(5), failures: 5);

    protected static async Task<HttpStatusCode> BasicAsync(HttpClient client, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app");
        request.Headers.Add("Accept", "application/json");
        request.Headers.Authorization = Basic("alice", password);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Whether this gateway, polled with alice's right password, answers 429 within <paramref name="bound"/>.</summary>
    // 503 while a killed connection comes back is no answer either way.
    protected Task<bool> RefusedWithinAsync(TimeSpan bound) =>
        Eventually.WithinAsync(async () => await BasicAsync(Client, "alice-password") == HttpStatusCode.TooManyRequests, bound, TimeSpan.FromMilliseconds(10));
}

/// <summary>A 10 s memo (the maximum): within the tests' 3 s only a ban message or a reset can make a ban visible.</summary>
public abstract class NearCacheBanTests(IStoreFixture store) : NearCacheBanTestBase(store, "00:00:10")
{
    [Fact]
    public async Task ProxyBasic_BannedOnOtherGateway_429HereDespiteLiveLinkOnceMessageArrives()
    {
        await PrimeAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await BasicAsync(OtherClient, "guess-" + i));
        }

        Assert.True(await RefusedWithinAsync(TimeSpan.FromSeconds(3)), "not refused within 3 s of the ban on the other gateway");
        Assert.Equal(HttpStatusCode.TooManyRequests, await BasicAsync(Client, "guess-5"));
    }

    [Fact]
    public async Task ProxyBasic_BannedOnThisGateway_429AtOnce()
    {
        await PrimeAsync();
        var forwarded = Backend.Received.Count;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await BasicAsync(Client, "guess-" + i));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await BasicAsync(Client, "alice-password"));
        Assert.Equal(forwarded, Backend.Received.Count);
    }

    [Fact]
    public async Task ProxyBasic_BanWithoutMessageThenConnectionLost_MemoEmptied()
    {
        await PrimeAsync();
        await BanBehindTheGatewaysBackAsync();
        // Still answered from memory: what the reset below must undo.
        Assert.Equal(HttpStatusCode.OK, await BasicAsync(Client, "alice-password"));

        // The gateways see their connections to the store fail.
        await Store!.DropGatewayConnectionsAsync();

        Assert.True(await RefusedWithinAsync(TimeSpan.FromSeconds(5)), "not refused within 5 s of the lost connections");
    }

    [Fact]
    public async Task ProxyBasic_BanLiftedByAdministrator_CorrectPasswordWorksAtOnceEverywhere()
    {
        await PrimeAsync();
        for (var i = 0; i < 5; i++)
        {
            await BasicAsync(Client, "guess-" + i);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await BasicAsync(Client, "alice-password"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await BasicAsync(OtherClient, "alice-password"));
        var admin = await LoginAsync("bob");
        var id = new ThrottleSubject("login", "alice", "127.0.0.1").Id;

        using var lifted = await SendAsync(HttpMethod.Delete, $"/auth/admin/bans/{id}", WithCookie(admin));

        // A ban is never remembered, so lifting needs no message.
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await BasicAsync(Client, "alice-password"));
        Assert.Equal(HttpStatusCode.OK, await BasicAsync(OtherClient, "alice-password"));
    }
}

/// <summary>A 2 s memo: a ban no message announces (written in the store directly) is enforced once the memo expires.</summary>
public abstract class NearCacheBanBoundTests(IStoreFixture store) : NearCacheBanTestBase(store, "00:00:02")
{
    [Fact]
    public async Task ProxyBasic_BanWithoutMessage_429WithinTheMemoLifetime()
    {
        await PrimeAsync();
        await BanBehindTheGatewaysBackAsync();
        // Answered from memory: the ban is not seen yet.
        Assert.Equal(HttpStatusCode.OK, await BasicAsync(Client, "alice-password"));

        Assert.True(await RefusedWithinAsync(TimeSpan.FromSeconds(4)), "not refused within 4 s (the 2 s memo and a margin)");
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisNearCacheBanTests(RedisServer redis) : NearCacheBanTests(redis);

[Collection(RedisCollection.Name)]
public sealed class RedisNearCacheBanBoundTests(RedisServer redis) : NearCacheBanBoundTests(redis);
