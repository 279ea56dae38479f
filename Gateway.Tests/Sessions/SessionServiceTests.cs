using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Sessions;

public sealed class SessionServiceTests : IDisposable
{
    private static readonly ClientInfo Client = new("192.0.2.1", "test-agent");

    private readonly ManualTimeProvider _time = new();
    private readonly TempHtpasswd _file;
    private readonly InMemorySessionStore _store;
    private readonly SessionService _sessions;

    public SessionServiceTests()
    {
        var options = new GatewayOptions();
        options.Users.Roles["alice"] = ["admin", "ops"];
        _file = TempHtpasswd.Create(options, ("alice", "pw"), ("bob", "pw2"));
        _store = new InMemorySessionStore(_time);
        _sessions = NewService(_store);
    }

    public void Dispose() => _file.Dispose();

    private SessionOptions Settings => _file.Options.CurrentValue.Session;

    private SessionService NewService(ISessionStore store) =>
        new(store, _store, _file.Users, new AuditTrail(new InMemoryAuditStore(Microsoft.Extensions.Options.Options.Create(_file.Options.CurrentValue)), _time, NullLogger<AuditTrail>.Instance),
            _file.Options, _time);

    private Task<(SessionId Id, ResolvedSession Session)> CreateAliceAsync(SessionService? service = null) =>
        (service ?? _sessions).CreateAsync(_file.Users.Find("alice")!, "basic", Client, rememberSelector: null, CancellationToken.None);

    private Task<ResolvedSession?> ResolveAsync(SessionKey key, SessionService? service = null) =>
        (service ?? _sessions).ResolveAsync(key, Client, CancellationToken.None).AsTask();

    [Fact]
    public async Task CreateAsync_ThenResolve_ReturnsTheSession()
    {
        var start = _time.GetUtcNow();
        var (id, created) = await CreateAliceAsync();

        var resolved = await ResolveAsync(id.Key);

        Assert.NotNull(resolved);
        Assert.Equal(id.Key, resolved.Key);
        Assert.Equal("alice", resolved.User);
        Assert.Equal(["admin", "ops"], resolved.Roles);
        Assert.Equal(start, resolved.Record.Created);
        Assert.Equal(start + Settings.AbsoluteTimeout, resolved.Record.AbsoluteExpiry);
        Assert.Equal("basic", resolved.Record.Method);
        Assert.Equal("192.0.2.1", resolved.Record.ClientIp);
        Assert.Equal(_file.Users.Find("alice")!.Stamp, resolved.Record.PasswordStamp);
        Assert.Equal(created.Key, resolved.Key);
    }

    [Fact]
    public async Task CreateAsync_Twice_GivesDistinctSessions()
    {
        var (first, _) = await CreateAliceAsync();
        var (second, _) = await CreateAliceAsync();

        Assert.NotEqual(first.Key, second.Key);
        Assert.NotNull(await ResolveAsync(first.Key));
        Assert.NotNull(await ResolveAsync(second.Key));
    }

    [Fact]
    public async Task ResolveAsync_UnknownKey_ReturnsNull()
    {
        Assert.Null(await ResolveAsync(SessionId.New().Key));
    }

    [Fact]
    public async Task ResolveAsync_JustBeforeIdleTimeout_ReturnsSession()
    {
        var (id, _) = await CreateAliceAsync();

        _time.Advance(Settings.IdleTimeout - TimeSpan.FromSeconds(1));

        Assert.NotNull(await ResolveAsync(id.Key));
    }

    [Fact]
    public async Task ResolveAsync_AfterIdleTimeout_ReturnsNullAndStoreDropsIt()
    {
        var (id, _) = await CreateAliceAsync();

        _time.Advance(Settings.IdleTimeout);

        Assert.Null(await ResolveAsync(id.Key));
        Assert.Null(await _store.GetAsync(id.Key, CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_IdleTimeoutWithStoreThatKeepsIt_ReturnsNullAndDeletes()
    {
        // The rule lives in the service, not only in the store's TTL: a store that keeps data longer changes nothing.
        var lenient = new TtlIgnoringSessionStore(_store);
        var service = NewService(lenient);
        var (id, _) = await CreateAliceAsync(service);

        _time.Advance(Settings.IdleTimeout);

        Assert.Null(await ResolveAsync(id.Key, service));
        Assert.Equal([id.Key], lenient.Deleted);
        Assert.Null(await lenient.GetAsync(id.Key, CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_AbsoluteTimeoutWithStoreThatKeepsIt_ReturnsNullAndDeletes()
    {
        var lenient = new TtlIgnoringSessionStore(_store);
        var service = NewService(lenient);
        var (id, _) = await CreateAliceAsync(service);
        for (var used = TimeSpan.Zero; used < Settings.AbsoluteTimeout - TimeSpan.FromMinutes(10); used += TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(await ResolveAsync(id.Key, service));
        }

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await ResolveAsync(id.Key, service));
        Assert.Equal([id.Key], lenient.Deleted);
    }

    [Fact]
    public async Task ResolveAsync_UsedEveryFewMinutes_SurvivesIdleButEndsAtAbsoluteTimeout()
    {
        var start = _time.GetUtcNow();
        var (id, _) = await CreateAliceAsync();
        var step = TimeSpan.FromMinutes(5);

        while (_time.GetUtcNow() + step < start + Settings.AbsoluteTimeout)
        {
            _time.Advance(step);
            Assert.NotNull(await ResolveAsync(id.Key));
        }
        Assert.True(_time.GetUtcNow() - start > Settings.IdleTimeout * 20);

        _time.Advance(start + Settings.AbsoluteTimeout - _time.GetUtcNow());

        Assert.Null(await ResolveAsync(id.Key));
        Assert.Null(await _store.GetAsync(id.Key, CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_WithinTouchInterval_DoesNotMoveLastSeen()
    {
        var start = _time.GetUtcNow();
        var (id, _) = await CreateAliceAsync();
        var interval = Settings.EffectiveTouchInterval;

        foreach (var at in new[] { TimeSpan.FromSeconds(1), interval / 2, interval - TimeSpan.FromSeconds(1) })
        {
            _time.Advance(start + at - _time.GetUtcNow());

            var resolved = await ResolveAsync(id.Key);

            Assert.Equal(start, resolved!.Record.LastSeen);
            Assert.Equal(start, (await _store.GetAsync(id.Key, CancellationToken.None))!.LastSeen);
        }
    }

    [Fact]
    public async Task ResolveAsync_TouchFailsWhileReadsWork_SessionStillResolvedAndLastSeenUnchanged()
    {
        var (id, created) = await CreateAliceAsync();
        var service = NewService(new ReadOnlyDuringFailoverStore(_store));
        _time.Advance(Settings.EffectiveTouchInterval);

        var resolved = await ResolveAsync(id.Key, service);

        Assert.NotNull(resolved);
        Assert.Equal(created.Record.LastSeen, resolved.Record.LastSeen);
        Assert.Equal(created.Record.LastSeen, (await _store.GetAsync(id.Key, CancellationToken.None))!.LastSeen);
    }

    /// <summary>Reads pass through; the touch fails as a write to a demoted primary would.</summary>
    private sealed class ReadOnlyDuringFailoverStore(ISessionStore inner) : ISessionStore
    {
        public ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
        public Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken) =>
            throw new SessionStoreUnavailableException("READONLY", timedOut: false);
        public Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken) => inner.CreateAsync(key, record, ttl, cap, cancellationToken);
        public Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken) => inner.IndexAsync(user, now, cancellationToken);
        public Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken) => inner.SupersedeAsync(key, grace, cancellationToken);
        public Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DeleteAsync(key, user, cancellationToken);

        public Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken) => inner.DiscardAsync(key, user, cancellationToken);
    }

    [Fact]
    public async Task ResolveAsync_AfterTouchInterval_MovesLastSeenAndExtendsIdleLife()
    {
        var start = _time.GetUtcNow();
        var (id, _) = await CreateAliceAsync();
        var interval = Settings.EffectiveTouchInterval;

        _time.Advance(interval);
        var resolved = await ResolveAsync(id.Key);

        Assert.Equal(start + interval, resolved!.Record.LastSeen);
        Assert.Equal(start + interval, (await _store.GetAsync(id.Key, CancellationToken.None))!.LastSeen);

        // Past the idle timeout counted from login, still inside it counted from the touch.
        _time.Advance(Settings.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(await ResolveAsync(id.Key));
    }

    [Fact]
    public async Task ResolveAsync_TouchIntervalLongerThanTenthOfIdle_IsCappedAtTenth()
    {
        Settings.IdleTimeout = TimeSpan.FromMinutes(5);
        Settings.TouchInterval = TimeSpan.FromMinutes(4);
        var start = _time.GetUtcNow();
        var (id, _) = await CreateAliceAsync();

        _time.Advance(TimeSpan.FromSeconds(30));
        var resolved = await ResolveAsync(id.Key);

        Assert.Equal(start + TimeSpan.FromSeconds(30), resolved!.Record.LastSeen);
    }

    [Theory]
    [InlineData("new password")]
    [InlineData(null)] // alice removed
    public async Task ResolveAsync_PasswordChangedOrUserRemovedInFile_EndsSession(string? newPassword)
    {
        var (id, _) = await CreateAliceAsync();
        var bobHash = _file.Users.Find("bob")!.Hash;
        var (other, _) = await _sessions.CreateAsync(_file.Users.Find("bob")!, "form", Client, rememberSelector: null, CancellationToken.None);
        var oldStamp = _file.Users.Find("alice")!.Stamp;
        var alice = newPassword is null ? "" : TempHtpasswd.Lines(("alice", newPassword));

        // Reloaded once alice's stamp has changed (null when she is gone) and bob is still there.
        await _file.RewriteAsync(alice + $"bob:{bobHash}\n", users => users.Find("alice")?.Stamp != oldStamp && users.Find("bob") is not null);

        Assert.Null(await ResolveAsync(id.Key));
        Assert.Null(await _store.GetAsync(id.Key, CancellationToken.None));
        Assert.NotNull(await ResolveAsync(other.Key));
    }

    [Fact]
    public async Task ResolveAsync_RolesChangedInConfiguration_ReturnsCurrentRoles()
    {
        var (id, created) = await CreateAliceAsync();
        Assert.Equal(["admin", "ops"], created.Roles);

        _file.Options.CurrentValue.Users.Roles["alice"] = ["viewer"];
        var resolved = await ResolveAsync(id.Key);

        Assert.Equal(["viewer"], resolved!.Roles);
        Assert.Equal(["admin", "ops"], resolved.Record.Roles);
    }

    [Fact]
    public async Task ResolveAsync_RolesRemovedFromConfiguration_ReturnsNoRoles()
    {
        var (id, _) = await CreateAliceAsync();

        _file.Options.CurrentValue.Users.Roles.Remove("alice");

        Assert.Empty((await ResolveAsync(id.Key))!.Roles);
    }

    [Fact]
    public async Task EndAsync_LiveSession_DeletesItOnce()
    {
        var (id, session) = await CreateAliceAsync();

        Assert.True(await _sessions.EndAsync(session, "logout", "alice", null, CancellationToken.None));
        Assert.False(await _sessions.EndAsync(session, "logout", "alice", null, CancellationToken.None));
        Assert.Null(await ResolveAsync(id.Key));
    }

    [Theory]
    [InlineData(600, 30, 30)]
    [InlineData(20, 30, 20)]
    [InlineData(30, 30, 30)]
    [InlineData(0, 30, 0)]
    public void TimeToLive_RemainingAndIdle_ReturnsSmaller(int remainingMinutes, int idleMinutes, int expectedMinutes)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var settings = new SessionOptions { IdleTimeout = TimeSpan.FromMinutes(idleMinutes) };

        var ttl = SessionService.TimeToLive(now.AddMinutes(remainingMinutes), now, settings);

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), ttl);
    }
}
