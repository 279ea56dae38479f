using Gateway.Security;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Stores;

/// <summary>Counting, banning and reserving in the PostgreSQL throttle store under parallel calls, as several gateways would make them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresThrottleStoreTests(PostgresServer server) : PostgresStoreTestBase(server)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private static readonly ThrottleRule Rule = new(5, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));

    [Fact]
    public async Task RecordFailure_ParallelFailures_BannedAtTheLimitOnce()
    {
        var store = new PostgresThrottleStore(Database);
        var subject = new ThrottleSubject("login", "alice", "10.0.0.1");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => store.RecordFailureAsync(subject, null, Rule, Now, default)));

        Assert.Equal(4, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(Now + Rule.BanTime, o));
        Assert.Equal(Now + Rule.BanTime, await store.GetBanAsync(subject, Now, default));
        Assert.Null(await store.GetBanAsync(subject, Now + Rule.BanTime, default));
        var ban = Assert.Single(await store.ListBansAsync(Now, 10, default));
        Assert.Equal(("alice", "10.0.0.1", 5), (ban.User, ban.Ip, ban.Failures));
        Assert.Equal(subject.Id, (await store.LiftAsync(subject.Id, default))!.Id);
        Assert.Null(await store.GetBanAsync(subject, Now, default));
    }

    [Fact]
    public async Task RecordFailure_RepeatedMember_CountedOnceAndWindowRestarts()
    {
        var store = new PostgresThrottleStore(Database);
        var subject = new ThrottleSubject("guess", null, "10.0.0.2");

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await store.RecordFailureAsync(subject, "same", Rule, Now, default));
        }
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await store.RecordFailureAsync(subject, "m" + i, Rule, Now, default));
        }
        // 4 distinct members so far; past the window the count starts again.
        Assert.Null(await store.RecordFailureAsync(subject, "late", Rule, Now + Rule.Window, default));
        Assert.Equal(1, await ScalarAsync<int>($"SELECT failures FROM throttle_counter WHERE subject_id = '{subject.Id}'"));
    }

    [Fact]
    public async Task Reserve_ParallelChecks_OnlyTheLimitGrantedUntilReleased()
    {
        var store = new PostgresThrottleStore(Database);
        var subject = new ThrottleSubject("login", "bob", "10.0.0.3");
        await store.RecordFailureAsync(subject, null, Rule, Now, default);

        var reservations = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            store.ReserveAsync(subject, "a" + i, Rule, Now, TimeSpan.FromMinutes(1), default)));

        Assert.Equal(4, reservations.Count(r => r.Granted));
        var granted = Enumerable.Range(0, 10).First(i => reservations[i].Granted);
        Assert.False((await store.ReserveAsync(subject, "late", Rule, Now, TimeSpan.FromMinutes(1), default)).Granted);
        await store.ReleaseAsync(subject, "a" + granted, default);
        Assert.True((await store.ReserveAsync(subject, "late", Rule, Now, TimeSpan.FromMinutes(1), default)).Granted);
        // A lease that ran out gives its place back by itself.
        Assert.True((await store.ReserveAsync(subject, "later", Rule, Now + TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1), default)).Granted);
    }

    [Fact]
    public async Task Succeeded_AfterFailures_FailuresForgottenAndPlaceGivenBackInOneCall()
    {
        var store = new PostgresThrottleStore(Database);
        var subject = new ThrottleSubject("login", "carol", "10.0.0.4");
        await store.RecordFailureAsync(subject, null, Rule, Now, default);
        Assert.True((await store.ReserveAsync(subject, "a", Rule, Now, TimeSpan.FromMinutes(1), default)).Granted);

        await store.SucceededAsync(subject, "a", default);

        Assert.Equal(0, await ScalarAsync<long>($"SELECT count(*) FROM throttle_counter WHERE subject_id = '{subject.Id}'"));
        Assert.Equal(0, await ScalarAsync<long>($"SELECT count(*) FROM throttle_pending WHERE subject_id = '{subject.Id}'"));
    }
}
