using System.Security.Cryptography;
using Gateway.Assertions;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Assertions;

/// <summary>Generated keys follow the store's secret: re-read every JWKS lifetime, the held one kept while the store cannot answer.</summary>
public sealed class StoreAssertionKeysTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly Secrets _secrets = new();

    private StoreAssertionKeys Keys => new(_secrets, TimeSpan.FromDays(30), _clock, NullLogger<StoreAssertionKeys>.Instance);

    [Fact]
    public async Task GetAsync_StoreFailsOnRefresh_HeldSecretKept()
    {
        var keys = Keys;
        var first = await keys.GetAsync(default);

        _secrets.Down = true;
        _clock.Advance(TimeSpan.FromMinutes(6));
        var during = await keys.GetAsync(default);

        Assert.Same(first, during);
        Assert.Equal(2, _secrets.Calls);
    }

    [Fact]
    public async Task GetAsync_StoreDownOnFirstRead_Throws()
    {
        _secrets.Down = true;

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => Keys.GetAsync(default).AsTask());
    }

    [Fact]
    public async Task GetAsync_SecretReplacedInStore_NewKeysAfterRefresh()
    {
        var keys = Keys;
        var first = await keys.GetAsync(default);

        _secrets.Value = RandomNumberGenerator.GetBytes(32);
        var cached = await keys.GetAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await keys.GetAsync(default);

        Assert.Same(first, cached);
        Assert.NotEqual(first.Signing.Kid, refreshed.Signing.Kid);
        Assert.Equal(3, refreshed.Published.Select(k => k.Kid).Distinct().Count());
    }

    private sealed class Secrets : ISecretStore
    {
        public byte[] Value { get; set; } = RandomNumberGenerator.GetBytes(32);

        public bool Down { get; set; }

        public int Calls { get; private set; }

        public Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken)
        {
            Calls++;
            Assert.Equal("assertion-keys", name);
            return Down ? Task.FromException<byte[]>(new SessionStoreUnavailableException("test", timedOut: false)) : Task.FromResult(Value.ToArray());
        }
    }
}
