using System.Net;
using Gateway.Tests.Fixtures;
using StackExchange.Redis;

namespace Gateway.Tests.Integration;

/// <summary>
/// What the gateway writes to a Redis Cluster: sessions spread over the primaries, each user's index in the slot
/// of its hash tag, the shared Basic-link secret found by every instance, and logout removing both.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterStoreTests(RedisCluster cluster) : GatewayTestBase(cluster)
{
    [Fact]
    public async Task Login_ManySessionsOnCluster_SpreadOverPrimariesAndIndexedPerUser()
    {
        var sids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            sids.Add(await LoginAsync("alice"));
        }

        var keys = SessionKeys();
        Assert.Equal(12, keys.Count);
        Assert.True(keys.Select(k => HashSlot(k) * 3 / 16384).Distinct().Count() > 1, "all sessions in one third of the slots");
        var index = (RedisKey)(Host.KeyPrefix + "u:{alice}");
        Assert.Equal(12, await RedisDeployment!.Database.SortedSetLengthAsync(index));

        var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Cookie", $"sid={sids[0]}");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(logout)).StatusCode);
        Assert.Equal(11, SessionKeys().Count);
        Assert.Equal(11, await RedisDeployment.Database.SortedSetLengthAsync(index));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sids[1]))).StatusCode);
    }

    [Fact]
    public async Task Proxy_BasicOnClusterAcrossInstances_OneSession()
    {
        await using var other = await GatewayHost.StartAsync(Backend.Url, RedisDeployment, new Dictionary<string, string?> { ["Gateway:Users:File"] = Host.UsersPath }, keyPrefix: Host.KeyPrefix);
        using var otherClient = other.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/{i}");
            request.Headers.Authorization = Basic("bob");
            Assert.Equal(HttpStatusCode.OK, (await (i % 2 == 0 ? Client : otherClient).SendAsync(request)).StatusCode);
        }

        Assert.Single(Backend.Received.Select(r => r.Values("X-Auth-Session").Single()).Distinct());
        Assert.Single(SessionKeys());
        Assert.Single(RedisDeployment!.Keys(Host.KeyPrefix + "k:"));
    }

    private static int HashSlot(string key) => (int)(Crc16(System.Text.Encoding.UTF8.GetBytes(key)) % 16384);

    private static ushort Crc16(byte[] data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }
        return crc;
    }
}
