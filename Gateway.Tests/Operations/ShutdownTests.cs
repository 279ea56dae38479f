using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace Gateway.Tests.Operations;

/// <summary>Stopping the gateway lets in-flight requests finish and closes the Redis connection.</summary>
[Collection(RedisCollection.Name)]
public sealed class ShutdownTests(RedisServer redis)
{
    [Fact]
    public async Task Stop_SlowRequestInFlight_CompletesWith200AndRedisConnectionCloses()
    {
        using var backend = new RecordingBackend();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.Server.Given(Request.Create().WithPath("/slow").UsingGet()).AtPriority(1).RespondWith(Response.Create().WithCallback(async _ =>
        {
            arrived.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            return new ResponseMessage { StatusCode = 200, BodyData = new BodyData { BodyAsString = "slow ok", DetectedBodyType = BodyType.String } };
        }));
        var name = "gw-shutdown-" + Guid.NewGuid().ToString("N")[..8];
        var host = await GatewayHost.StartAsync(backend.Url, redis, new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = $"{redis.ConnectionString},name={name}" });
        using var client = host.CreateClient();
        Assert.Contains(redis.Server.ClientList(), c => c.Name == name);

        var inFlight = client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/slow") { Headers = { Authorization = GatewayTestBaseAccess.Basic("alice") } });
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = host.DisposeAsync().AsTask();
        var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slow ok", await response.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => !redis.Server.ClientList().Any(c => c.Name == name), "the gateway's Redis connection closed after stop",
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
    }
}

/// <summary>Basic credentials as the integration tests build them.</summary>
internal static class GatewayTestBaseAccess
{
    public static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{GatewayHost.DefaultPasswords[user]}")));
}
