using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Stores;

/// <summary>What the PostgreSQL store guarantees under concurrency, seen on its tables.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSessionStoreTests(PostgresServer server) : PostgresStoreTestBase(server)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task Create_ThenGet_RoundTripsTheRecordUnderItsHash()
    {
        var key = NewKey();
        var record = Record("alice") with { Roles = ["user", "admin"], Persistent = true, RememberSelector = "sel" };

        Assert.True((await Sessions.CreateAsync(key, record, TimeSpan.FromMinutes(30), SessionCap.None, default)).Created);

        Assert.Equal(record, await Sessions.GetAsync(key, default) is { } read ? read with { Roles = record.Roles } : null);
        Assert.Equal(["user", "admin"], (await Sessions.GetAsync(key, default))!.Roles);
        Assert.Equal("alice", await ScalarAsync<string>($"SELECT username FROM login_session WHERE handle = '{key.Handle}'"));
    }

    [Fact]
    public async Task Create_ParallelLoginsWithCap_NeverMoreThanTheCap()
    {
        var cap = new SessionCap(3, Reject: false);

        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Sessions.CreateAsync(NewKey(), Record("alice"), TimeSpan.FromMinutes(30), cap, default)));

        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM login_session WHERE username = 'alice'"));
    }

    [Fact]
    public async Task Create_ParallelLoginsWithRejectCap_ExactlyTheCapCreated()
    {
        var cap = new SessionCap(2, Reject: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Sessions.CreateAsync(NewKey(), Record("bob"), TimeSpan.FromMinutes(30), cap, default)));

        Assert.Equal(2, results.Count(r => r.Created));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM login_session WHERE username = 'bob'"));
    }

    [Fact]
    public async Task Supersede_ParallelRotations_OnlyOneClaims()
    {
        var key = NewKey();
        await Sessions.CreateAsync(key, Record("alice"), TimeSpan.FromMinutes(30), SessionCap.None, default);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Sessions.SupersedeAsync(key, TimeSpan.FromSeconds(5), default)));

        Assert.Single(claims, c => c);
        Assert.True((await Sessions.GetAsync(key, default))!.Superseded);
    }

    [Fact]
    public async Task RotateRemember_ParallelRedemptionsOfOneValidator_OnlyOneRotates()
    {
        byte[] current = [1, 2, 3];
        await Sessions.SaveRememberAsync("sel", new RememberRecord("alice", current, [], Now, Now.AddDays(30), "stamp"), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Sessions.RotateRememberAsync("sel", current, [9, (byte)i], Now, default)));

        Assert.Single(outcomes, o => o == RememberRotation.Rotated);
        Assert.All(outcomes.Where(o => o != RememberRotation.Rotated), o => Assert.Equal(RememberRotation.Lost, o));
        Assert.Equal(current, (await Sessions.GetRememberAsync("sel", default))!.PreviousHash);
        Assert.Equal(RememberRotation.Gone, await Sessions.RotateRememberAsync("none", current, [9], Now, default));
    }

    [Fact]
    public async Task GetOrCreateSecret_ParallelFirstUse_OneSecretForAll()
    {
        var secrets = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Sessions.GetOrCreateSecretAsync("links", default)));

        Assert.Single(secrets.Select(Convert.ToBase64String).Distinct());
        Assert.Equal(32, secrets[0].Length);
    }

    [Fact]
    public async Task Delete_ExistingSession_ReturnsRecordAndRowGone()
    {
        var key = NewKey();
        await Sessions.CreateAsync(key, Record("alice") with { RememberSelector = "r1" }, TimeSpan.FromMinutes(30), SessionCap.None, default);

        var deleted = await Sessions.DeleteAsync(key, "alice", default);

        Assert.Equal("r1", deleted!.RememberSelector);
        Assert.Null(await Sessions.GetAsync(key, default));
        Assert.Null(await Sessions.DeleteAsync(key, "alice", default));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM login_session"));
    }

    private static SessionKey NewKey() => SessionId.New().Key;

    private static SessionRecord Record(string user) =>
        new(user, ["user"], Now, Now, Now.AddHours(12), "127.0.0.1", "test-agent", "stamp", "form", Now);
}
