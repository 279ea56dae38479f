using Gateway.Configuration;
using Gateway.Security;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Security;

/// <summary>The ban check of the Basic path: subjects kept per (user, address) must follow the address and the settings.</summary>
public sealed class LoginThrottleTests
{
    private const string Guesser = "203.0.113.7";
    private const string Elsewhere = "198.51.100.20";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestOptionsMonitor<GatewayOptions> _options = new(Settings(LockoutScope.User));
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() =>
        _throttle = new LoginThrottle(new InMemoryThrottleStore(), _options, _clock, NullLogger<LoginThrottle>.Instance);

    [Fact]
    public async Task RetryAfter_UserBannedEverywhere_AnswersForEveryAddress()
    {
        await FailAsync("alice", Guesser, 2);

        Assert.Equal(TimeSpan.FromMinutes(5), await _throttle.RetryAfterAsync("alice", Guesser, default));
        Assert.Equal(TimeSpan.FromMinutes(5), await _throttle.RetryAfterAsync("alice", Elsewhere, default));
        Assert.Null(await _throttle.RetryAfterAsync("bob", Guesser, default));
    }

    [Fact]
    public async Task RetryAfter_ScopeChangedAfterAsking_NewScopeApplies()
    {
        _options.CurrentValue = Settings(LockoutScope.UserAndIp);
        await FailAsync("alice", Guesser, 2);
        Assert.Null(await _throttle.RetryAfterAsync("alice", Elsewhere, default));

        // Banned from anywhere under the new scope: the subjects kept for (alice, elsewhere) must not be reused.
        _options.CurrentValue = Settings(LockoutScope.User);
        await FailAsync("alice", Guesser, 2);

        Assert.NotNull(await _throttle.RetryAfterAsync("alice", Elsewhere, default));
    }

    [Fact]
    public async Task RetryAfter_BanEnds_NullAgain()
    {
        await FailAsync("alice", Guesser, 2);
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await _throttle.RetryAfterAsync("alice", Guesser, default));
    }

    private async Task FailAsync(string user, string ip, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await using var attempt = await _throttle.BeginAsync(user, ip, default);
            Assert.Null(attempt.RetryAfter);
            await attempt.FailedAsync(default);
        }
    }

    private static GatewayOptions Settings(LockoutScope scope) => new()
    {
        Login = new LoginOptions { MaxFailures = 2, MaxFailuresPerIp = 20, BanTime = TimeSpan.FromMinutes(5), LockoutScope = scope },
    };
}
