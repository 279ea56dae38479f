using Gateway.Sessions;
using Gateway.Stores.Sqlite;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>The SQLite session store on a real file: the cap under parallel logins, expiry by the gateway's clock, claims and CAS.</summary>
public sealed class SqliteSessionStoreTests : IDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);
    private readonly SqliteTestFile _file = new();
    private readonly SqliteSessionStore _store;

    public SqliteSessionStoreTests() => _store = new SqliteSessionStore(_file.Open(), _file.Clock);

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task CreateAsync_ParallelLoginsOverEvictCap_KeepsExactlyTheCapAndReportsEveryEviction()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => CreateAsync(new SessionCap(3, Reject: false)))));

        var live = await _store.IndexAsync("alice", _file.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(3, live.Count);
        Assert.All(results, r => Assert.True(r.Result.Created));
        Assert.Equal(37, results.Sum(r => r.Result.Evicted.Count));
        // The survivors are the last three created: every other key was reported evicted exactly once.
        var evicted = results.SelectMany(r => r.Result.Evicted.Select(e => e.Key)).ToHashSet();
        Assert.Equal(37, evicted.Count);
        Assert.Empty(live.Intersect(evicted));
    }

    [Fact]
    public async Task CreateAsync_ParallelLoginsOverRejectCap_CreatesExactlyTheCap()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => CreateAsync(new SessionCap(3, Reject: true)))));

        Assert.Equal(3, results.Count(r => r.Result.Created));
        Assert.Equal(3, (await _store.IndexAsync("alice", _file.Clock.GetUtcNow(), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task GetAsync_PastIdleExpiry_AbsentUnlessTouched()
    {
        var (touched, _, _) = await CreateAsync(SessionCap.None);
        var (idle, _, _) = await CreateAsync(SessionCap.None);
        _file.Clock.Advance(TimeSpan.FromMinutes(20));
        await _store.TouchAsync(touched, _file.Clock.GetUtcNow(), Ttl, CancellationToken.None);
        _file.Clock.Advance(TimeSpan.FromMinutes(20));

        Assert.NotNull(await _store.GetAsync(touched, CancellationToken.None));
        Assert.Null(await _store.GetAsync(idle, CancellationToken.None));
        Assert.Null(await _store.DeleteAsync(idle, "alice", CancellationToken.None));
        Assert.Equal(1, await _store.CountActiveAsync(_file.Clock.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task SupersedeAsync_CalledTwice_OnlyTheFirstClaimsAndTheGraceIsNeverExtended()
    {
        var (key, _, _) = await CreateAsync(SessionCap.None);

        Assert.True(await _store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await _store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));
        await _store.TouchAsync(key, _file.Clock.GetUtcNow(), Ttl, CancellationToken.None);
        Assert.True((await _store.GetAsync(key, CancellationToken.None))!.Superseded);
        _file.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await _store.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_ThenTouchAndSupersede_NeverBringTheSessionBack()
    {
        var (key, _, _) = await CreateAsync(SessionCap.None, rememberSelector: "sel");

        var deleted = await _store.DeleteAsync(key, "alice", CancellationToken.None);
        await _store.TouchAsync(key, _file.Clock.GetUtcNow(), Ttl, CancellationToken.None);

        Assert.Equal("sel", deleted!.RememberSelector);
        Assert.False(await _store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Null(await _store.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_RecordRoundTrip_KeepsEveryField()
    {
        var (key, record, _) = await CreateAsync(SessionCap.None, rememberSelector: "sel");

        var read = await _store.GetAsync(key, CancellationToken.None);

        Assert.Equal(record with { Roles = [] }, read! with { Roles = [] });
        Assert.Equal(record.Roles, read.Roles);
    }

    [Fact]
    public async Task RotateRememberAsync_ParallelRedemptionsOfOneValidator_ExactlyOneRotates()
    {
        var now = _file.Clock.GetUtcNow();
        await _store.SaveRememberAsync("sel", new RememberRecord("alice", [1], [], now, now.AddDays(30), "stamp"), CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => _store.RotateRememberAsync("sel", [1], [(byte)(i + 2)], now, CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(o => o == RememberRotation.Rotated));
        Assert.Equal(19, outcomes.Count(o => o == RememberRotation.Lost));
        Assert.Equal(RememberRotation.Gone, await _store.RotateRememberAsync("other", [1], [3], now, CancellationToken.None));
        var kept = (await _store.GetRememberAsync("sel", CancellationToken.None))!;
        Assert.Equal(new byte[] { 1 }, kept.PreviousHash);
        Assert.Equal(["sel"], await _store.RememberSelectorsAsync("alice", CancellationToken.None));
    }

    [Fact]
    public async Task GetOrCreateSecretAsync_ParallelFirstUse_EveryCallerGetsTheSameSecret()
    {
        var secrets = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _store.GetOrCreateSecretAsync("links", CancellationToken.None))));

        Assert.Single(secrets.Select(Convert.ToBase64String).Distinct());
        Assert.Equal(32, secrets[0].Length);
    }

    [Fact]
    public async Task GetCredentialLinkAsync_PastItsTtl_Absent()
    {
        var (key, _, _) = await CreateAsync(SessionCap.None);
        await _store.SetCredentialLinkAsync("link", key, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(key, await _store.GetCredentialLinkAsync("link", CancellationToken.None));
        _file.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await _store.GetCredentialLinkAsync("link", CancellationToken.None));
    }

    private async Task<(SessionKey Key, SessionRecord Record, CreateResult Result)> CreateAsync(SessionCap cap, string rememberSelector = "")
    {
        var now = _file.Clock.GetUtcNow();
        var key = SessionId.New().Key;
        var record = new SessionRecord("alice", ["user", "ops"], now, now, now + TimeSpan.FromHours(12), "192.0.2.1", "test agent", "stamp", "form",
            now, Superseded: false, Persistent: rememberSelector.Length > 0, rememberSelector);
        return (key, record, await _store.CreateAsync(key, record, Ttl, cap, CancellationToken.None));
    }
}
