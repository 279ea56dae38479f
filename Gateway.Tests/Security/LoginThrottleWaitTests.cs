using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Security;

/// <summary>
/// Checks that wait for a place held by this process's own checks wait without asking the store (which could only
/// refuse them), and a place this process gave back is free here whatever the store said.
/// </summary>
public sealed class LoginThrottleWaitTests
{
    private const string Ip = "203.0.113.7";
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CountingStore _store = new();
    private readonly LoginThrottle _throttle;

    public LoginThrottleWaitTests() => _throttle = new LoginThrottle(_store, new TestOptionsMonitor<GatewayOptions>(new GatewayOptions
    {
        Login = new LoginOptions { MaxFailures = 2, MaxFailuresPerIp = 20, LockoutScope = LockoutScope.UserAndIp },
    }), _clock, NullLogger<LoginThrottle>.Instance);

    [Fact]
    public async Task BeginAsync_EveryPlaceHeldHere_WaitsWithoutAskingStoreThenGoesAhead()
    {
        await using var first = await _throttle.BeginAsync("alice", Ip, default);
        await using var second = await _throttle.BeginAsync("alice", Ip, default);
        var asked = _store.Reserves;

        var third = _throttle.BeginAsync("alice", Ip, default);
        // Long enough for several rounds of its wait (5, 10, 20, 40, 80 ms ...), each of which asked the store before.
        await Task.Delay(400);

        Assert.False(third.IsCompleted);
        Assert.Equal(asked, _store.Reserves);
        await first.SucceededAsync(default);
        await using var granted = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(granted.RetryAfter);
        Assert.Equal(asked + 2, _store.Reserves); // one round: the user's subject and the address's
    }

    [Fact]
    public async Task BeginAsync_OtherUsersPlacesHeld_NotKeptWaiting()
    {
        await using var first = await _throttle.BeginAsync("alice", Ip, default);
        await using var second = await _throttle.BeginAsync("alice", Ip, default);

        await using var bob = await _throttle.BeginAsync("bob", Ip, default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(bob.RetryAfter);
    }

    [Fact]
    public async Task BeginAsync_WokenByManyOtherLogins_KeepsWaitingForItsPlace()
    {
        var first = await _throttle.BeginAsync("alice", Ip, default);
        await using var second = await _throttle.BeginAsync("alice", Ip, default);
        var third = _throttle.BeginAsync("alice", Ip, default);

        // Every login that ends wakes the waiters; alice's waiter finds her places still held each time. Counted in
        // rounds, its wait ran out after 50 of these (a 429 within a second or two under a busy user's logins).
        for (var i = 0; i < 200 && !third.IsCompleted; i++)
        {
            await using var bob = await _throttle.BeginAsync("bob", "198.51.100.20", default);
            await bob.SucceededAsync(default);
            await Task.Delay(2);
        }
        Assert.False(third.IsCompleted);
        await first.SucceededAsync(default);

        await using var granted = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(granted.RetryAfter);
    }

    [Fact]
    public async Task DisposeAsync_StoreFailsToRelease_PlaceFreeHereOnceTheLeaseEnds()
    {
        var attempt = await _throttle.BeginAsync("alice", Ip, default);
        await using var other = await _throttle.BeginAsync("alice", Ip, default);
        _store.FailReleases = true;
        await attempt.DisposeAsync(); // the store's error is swallowed: its lease gives the place back there
        _store.FailReleases = false;
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Were the place still counted here, this would wait out its 9 s and be told to retry.
        await using var next = await _throttle.BeginAsync("alice", Ip, default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Null(next.RetryAfter);
    }

    [Fact]
    public async Task BeginAsync_StoreRefusesPlaceHeldElsewhere_LocalPlaceGivenBack()
    {
        var rule = new ThrottleRule(2, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        var alice = new ThrottleSubject("login", "alice", ClientAddress.Subject(Ip));
        // Two checks in progress on another instance hold both of alice's places in the shared store.
        await _store.ReserveAsync(alice, "elsewhere-1", rule, _clock.GetUtcNow(), TimeSpan.FromMinutes(1), default);
        await _store.ReserveAsync(alice, "elsewhere-2", rule, _clock.GetUtcNow(), TimeSpan.FromMinutes(1), default);

        var waiting = _throttle.BeginAsync("alice", Ip, default);
        var asked = _store.Reserves;
        await _store.ReleaseAsync(alice, "elsewhere-1", default);

        // Seen by polling the store: the refused rounds gave their local claim back each time.
        await using var granted = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(granted.RetryAfter);
        Assert.True(_store.Reserves > asked);
    }

    private sealed class CountingStore : IThrottleStore
    {
        private readonly InMemoryThrottleStore _inner = new();
        private int _reserves;

        public int Reserves => Volatile.Read(ref _reserves);

        public bool FailReleases { get; set; }

        public Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken) =>
            _inner.GetBanAsync(subject, now, cancellationToken);

        public Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken) =>
            _inner.RecordFailureAsync(subject, member, rule, now, cancellationToken);

        public Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reserves);
            return _inner.ReserveAsync(subject, attempt, rule, now, lease, cancellationToken);
        }

        public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) => FailReleases
            ? Task.FromException(new SessionStoreUnavailableException("store down", timedOut: true))
            : _inner.ReleaseAsync(subject, attempt, cancellationToken);

        public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) => _inner.ResetAsync(subject, cancellationToken);

        public Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) => FailReleases
            ? Task.FromException(new SessionStoreUnavailableException("store down", timedOut: true))
            : _inner.SucceededAsync(subject, attempt, cancellationToken);

        public Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
            _inner.ListBansAsync(now, max, cancellationToken);

        public Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken) => _inner.LiftAsync(id, cancellationToken);
    }
}
