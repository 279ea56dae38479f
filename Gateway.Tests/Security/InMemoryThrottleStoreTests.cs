using Gateway.Security;

namespace Gateway.Tests.Security;

/// <summary>The in-memory store's rules; the Redis store is proven with the same rules through the integration suite.</summary>
public sealed class InMemoryThrottleStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ThrottleRule Rule = new(3, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly ThrottleSubject Alice = new("login", "alice", "203.0.113.7");
    private readonly InMemoryThrottleStore _store = new();

    [Fact]
    public async Task RecordFailure_AtLimit_BansUntilBanTimeThenFree()
    {
        Assert.Null(await _store.RecordFailureAsync(Alice, null, Rule, Start, default));
        Assert.Null(await _store.RecordFailureAsync(Alice, null, Rule, Start, default));
        Assert.Equal(Start.AddMinutes(10), await _store.RecordFailureAsync(Alice, null, Rule, Start, default));

        Assert.Equal(Start.AddMinutes(10), await _store.GetBanAsync(Alice, Start.AddMinutes(9), default));
        Assert.Null(await _store.GetBanAsync(Alice, Start.AddMinutes(10), default));
        Assert.Null(await _store.GetBanAsync(new ThrottleSubject("login", "alice", "198.51.100.1"), Start, default));
    }

    [Fact]
    public async Task RecordFailure_WindowPassed_CountStartsAgain()
    {
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);

        Assert.Null(await _store.RecordFailureAsync(Alice, null, Rule, Start.AddMinutes(5), default));
        Assert.Null(await _store.RecordFailureAsync(Alice, null, Rule, Start.AddMinutes(5), default));
    }

    [Fact]
    public async Task RecordFailure_SameMemberRepeated_CountsOnce()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await _store.RecordFailureAsync(Alice, "same-id", Rule, Start, default));
        }
        Assert.Null(await _store.RecordFailureAsync(Alice, "other-id", Rule, Start, default));
        Assert.NotNull(await _store.RecordFailureAsync(Alice, "third-id", Rule, Start, default));
    }

    [Fact]
    public async Task Succeeded_AfterFailuresWithEveryPlaceHeld_FailuresForgottenAndPlaceGivenBack()
    {
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        Assert.True((await _store.ReserveAsync(Alice, "a", Rule, Start, Lease, default)).Granted);
        Assert.False((await _store.ReserveAsync(Alice, "b", Rule, Start, Lease, default)).Granted);

        await _store.SucceededAsync(Alice, "a", default);

        // Both gone: three places free again (two would mean the failures stayed, none that the place did).
        Assert.True((await _store.ReserveAsync(Alice, "b", Rule, Start, Lease, default)).Granted);
        Assert.True((await _store.ReserveAsync(Alice, "c", Rule, Start, Lease, default)).Granted);
        Assert.True((await _store.ReserveAsync(Alice, "d", Rule, Start, Lease, default)).Granted);
        Assert.False((await _store.ReserveAsync(Alice, "e", Rule, Start, Lease, default)).Granted);
    }

    [Fact]
    public async Task Reserve_FailuresPlusChecksInProgressAtLimit_RefusedUntilOneIsReleased()
    {
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        Assert.True((await _store.ReserveAsync(Alice, "a", Rule, Start, Lease, default)).Granted);
        Assert.True((await _store.ReserveAsync(Alice, "b", Rule, Start, Lease, default)).Granted);

        Assert.Equal(new Reservation(false, null), await _store.ReserveAsync(Alice, "c", Rule, Start, Lease, default));
        Assert.True((await _store.ReserveAsync(new ThrottleSubject("login", "alice", "198.51.100.1"), "c", Rule, Start, Lease, default)).Granted);
        await _store.ReleaseAsync(Alice, "a", default);
        Assert.True((await _store.ReserveAsync(Alice, "c", Rule, Start, Lease, default)).Granted);
    }

    [Fact]
    public async Task Reserve_FailureRecordedThenReleased_BannedWithBanEnd()
    {
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        Assert.True((await _store.ReserveAsync(Alice, "a", Rule, Start, Lease, default)).Granted);

        Assert.NotNull(await _store.RecordFailureAsync(Alice, null, Rule, Start, default));
        await _store.ReleaseAsync(Alice, "a", default);

        Assert.Equal(new Reservation(false, Start.AddMinutes(10)), await _store.ReserveAsync(Alice, "b", Rule, Start.AddMinutes(1), Lease, default));
        Assert.True((await _store.ReserveAsync(Alice, "b", Rule, Start.AddMinutes(10), Lease, default)).Granted);
    }

    [Fact]
    public async Task Reserve_LeaseRunOut_PlaceGivenBackWithoutRelease()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await _store.ReserveAsync(Alice, "lost-" + i, Rule, Start, Lease, default)).Granted);
        }
        Assert.False((await _store.ReserveAsync(Alice, "next", Rule, Start + Lease - TimeSpan.FromSeconds(1), Lease, default)).Granted);

        Assert.True((await _store.ReserveAsync(Alice, "next", Rule, Start + Lease, Lease, default)).Granted);
    }

    [Fact]
    public async Task LiftAndList_Ban_ListedThenGone()
    {
        for (var i = 0; i < 3; i++)
        {
            await _store.RecordFailureAsync(Alice, null, Rule, Start, default);
        }

        var ban = Assert.Single(await _store.ListBansAsync(Start, 10, default));
        Assert.Equal(("login", "alice", "203.0.113.7", 3), (ban.Kind, ban.User, ban.Ip, ban.Failures));
        Assert.NotNull(await _store.LiftAsync(ban.Id, default));
        Assert.Empty(await _store.ListBansAsync(Start, 10, default));
        Assert.Null(await _store.GetBanAsync(Alice, Start, default));
        Assert.Null(await _store.LiftAsync(ban.Id, default));
    }
}
