using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Sessions;

public sealed class SessionKeyCacheTests
{
    private readonly SteppedClock _clock = new();

    [Fact]
    public void TryParse_RememberedId_SameKeyAsAFullParse()
    {
        var cache = Cache();
        var id = SessionId.New();
        cache.Remember(id);

        Assert.True(cache.TryParse(id.Value, out var parsed));
        Assert.Equal(id.Value, parsed.Value);
        Assert.Equal(id.Key, parsed.Key);
        Assert.True(SessionId.TryParse(id.Value, out var full));
        Assert.Equal(full.Key, parsed.Key);
    }

    [Fact]
    public void TryParse_IdDifferingInOneCharacterFromARememberedOne_ParsedOnItsOwn()
    {
        var cache = Cache();
        var id = SessionId.New();
        cache.Remember(id);
        var other = (id.Value[0] == 'A' ? "B" : "A") + id.Value[1..];

        Assert.True(cache.TryParse(other, out var parsed));
        Assert.NotEqual(id.Key, parsed.Key);
        Assert.True(SessionId.TryParse(other, out var full));
        Assert.Equal(full.Key, parsed.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void TryParse_Malformed_RefusedAsByTheParser(string? text)
    {
        Assert.False(Cache().TryParse(text, out _));
    }

    [Fact]
    public void TryParse_NeverRemembered_NotHeld()
    {
        var cache = Cache();
        Assert.True(cache.TryParse(SessionId.New().Value, out _));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Remember_Full_BoundedAndExpiredEntriesMakeRoom()
    {
        var cache = Cache(size: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Remember(SessionId.New());
        }
        Assert.Equal(3, cache.Count);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = SessionId.New();
        cache.Remember(fresh);

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryParse(fresh.Value, out var parsed));
        Assert.Equal(fresh.Key, parsed.Key);
    }

    [Fact]
    public void Remember_NearCacheOff_NothingHeld()
    {
        var cache = Cache(nearCache: TimeSpan.Zero);
        cache.Remember(SessionId.New());

        Assert.Equal(0, cache.Count);
    }

    private SessionKeyCache Cache(int size = 100, TimeSpan? nearCache = null) => new(Options.Create(new GatewayOptions
    {
        Store = new StoreOptions { NearCache = nearCache ?? TimeSpan.FromSeconds(1), NearCacheSize = size },
    }), _clock);

    /// <summary>A clock whose timestamps move only when told.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _timestamp = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
    }
}
