using System.Net;
using System.Net.Http.Json;
using Gateway.Configuration;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Users;
using Gateway.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// Logins beyond the hashing capacity, through the real pipeline: the gateway's one hashing thread is held by a
/// <see cref="GatedHash"/> (the floor thread off), so the next login cannot start hashing within
/// <c>Gateway:Login:QueueTimeout</c>. The bound starts long and is tightened once the held login started hashing:
/// on a loaded machine a SCHED_IDLE thread may get no time for a while.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class LoginOverloadTests(RedisServer redis) : TelemetryTestBase(redis)
{
    private readonly GatedHash _gate = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Login:QueueTimeout"] = "00:00:30" };

    protected override void ConfigureHost(WebApplicationBuilder builder)
    {
        base.ConfigureHost(builder);
        builder.Services.AddSingleton(sp => new PasswordVerifier(sp.GetRequiredService<UserStore>(), sp.GetRequiredService<IOptionsMonitor<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PasswordVerifier>>(), workers: 1, Timeout.InfiniteTimeSpan, _gate.Check));
    }

    public override async Task DisposeAsync()
    {
        _gate.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Login_NoHashingCapacity_503WithRetryAfterCountedThenLoginSucceeds()
    {
        var held = Client.PostAsJsonAsync("/auth/login", new { username = "alice", password = "alice-password" });
        await _gate.WaitForStartedAsync(1);
        Host.SetConfiguration("Gateway:Login:QueueTimeout", "00:00:00.2");

        var json = await Client.PostAsJsonAsync("/auth/login", new { username = "bob", password = "bob-password" });
        var basic = await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"));

        foreach (var refused in new[] { json, basic })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            Assert.Contains("\"login_overloaded\"", await refused.Content.ReadAsStringAsync());
            Assert.Null(SessionCookie(refused));
        }
        Assert.Equal(1, _gate.Started);
        var metrics = CollectMetrics();
        Assert.Equal(1, Sum(metrics, "gateway.login.refused", ("gateway.login.method", "json"), ("gateway.login.refusal_reason", "capacity")));
        Assert.Equal(1, Sum(metrics, "gateway.login.refused", ("gateway.login.method", "basic"), ("gateway.login.refusal_reason", "capacity")));
        Assert.Equal(0, Sum(metrics, "gateway.login.failed"));
        // Two refusals, one log line (event 1110).
        Assert.Single(Logs.Entries, e => e.EventId.Id == 1110);

        _gate.Open();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Host.SetConfiguration("Gateway:Login:QueueTimeout", "00:00:30");
        await LoginAsync("bob");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"))).StatusCode);
    }
}
