using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Sessions;

/// <summary>
/// The in-memory store against a delete racing a touch or a supersede: a write that read the session before the
/// delete must not put it back. Many short rounds, each with the writer looping on another thread while the delete
/// lands, so the delete falls between a writer's read and its write in some of them.
/// </summary>
public sealed class InMemorySessionStoreTests
{
    private const int Rounds = 300;
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public Task TouchAsync_RacingDelete_NeverBringsTheSessionBack() =>
        RaceDeleteAsync((store, key) => store.TouchAsync(key, _time.GetUtcNow(), Ttl, CancellationToken.None));

    [Fact]
    public Task SupersedeAsync_RacingDelete_NeverBringsTheSessionBack() =>
        RaceDeleteAsync((store, key) => store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));

    [Fact]
    public async Task SupersedeAsync_CalledTwice_OnlyTheFirstClaims()
    {
        var store = new InMemorySessionStore(_time);
        var key = await CreateAsync(store);

        Assert.True(await store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await store.SupersedeAsync(key, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True((await store.GetAsync(key, CancellationToken.None))!.Superseded);
    }

    [Fact]
    public async Task RotateRememberAsync_ExpectedValidatorNoLongerCurrent_LostAndRecordKept()
    {
        var store = new InMemorySessionStore(_time);
        var now = _time.GetUtcNow();
        await store.SaveRememberAsync("sel", new RememberRecord("alice", [1], [], now, now.AddDays(30), "stamp"), CancellationToken.None);

        Assert.Equal(RememberRotation.Rotated, await store.RotateRememberAsync("sel", [1], [2], now, CancellationToken.None));
        Assert.Equal(RememberRotation.Lost, await store.RotateRememberAsync("sel", [1], [3], now, CancellationToken.None));
        Assert.Equal(RememberRotation.Gone, await store.RotateRememberAsync("other", [1], [3], now, CancellationToken.None));
        var kept = (await store.GetRememberAsync("sel", CancellationToken.None))!;
        Assert.Equal(new byte[] { 2 }, kept.ValidatorHash);
        Assert.Equal(new byte[] { 1 }, kept.PreviousHash);
    }

    private async Task RaceDeleteAsync(Func<InMemorySessionStore, SessionKey, Task> write)
    {
        var store = new InMemorySessionStore(_time);
        var resurrected = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var key = await CreateAsync(store);
            using var started = new ManualResetEventSlim();
            var stop = false;
            var writer = Task.Run(async () =>
            {
                started.Set();
                while (!Volatile.Read(ref stop))
                {
                    await write(store, key);
                }
            });
            started.Wait();
            Thread.SpinWait(round % 50 * 20);
            await store.DeleteAsync(key, "alice", CancellationToken.None);
            Volatile.Write(ref stop, true);
            await writer;
            resurrected += await store.GetAsync(key, CancellationToken.None) is null ? 0 : 1;
        }
        Assert.Equal(0, resurrected);
    }

    private async Task<SessionKey> CreateAsync(InMemorySessionStore store)
    {
        var now = _time.GetUtcNow();
        var key = SessionId.New().Key;
        var record = new SessionRecord("alice", ["user"], now, now, now + TimeSpan.FromHours(12), "192.0.2.1", "test", "stamp", "form", now);
        Assert.True((await store.CreateAsync(key, record, Ttl, SessionCap.None, CancellationToken.None)).Created);
        return key;
    }
}
