using Gateway.Configuration;
using Gateway.Sessions;

namespace Gateway.Assertions;

/// <summary>
/// Generated keys shared by every instance on one store: the store's secret <c>assertion-keys</c> (created by the
/// first instance to ask, readable only with the store's credentials) is the master, and the key of each rotation
/// epoch is derived from it (<see cref="AssertionKeyDerivation"/>). Epoch N signs; N+1 is published a whole period
/// before it signs, and N-1 for a whole period after, which covers every token it signed (KeyRotation is at least
/// the JWKS lifetime, which is at least the assertion lifetime). The master is read again every JWKS lifetime, so
/// instances that cached a secret since deleted from the store come to agree with the others; when that read fails
/// the one held is kept and retried shortly.
/// </summary>
internal sealed partial class StoreAssertionKeys(ISecretStore secrets, TimeSpan rotation, TimeProvider time, ILogger<StoreAssertionKeys> logger)
    : IAssertionKeys
{
    internal const string SecretName = "assertion-keys";
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private Master? _master;
    private Ring? _ring;

    public async ValueTask<AssertionKeyRing> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var master = _master is { } held && now < held.RefreshAt ? held : await RefreshAsync(now, cancellationToken);
        var epoch = AssertionKeyDerivation.EpochOf(now, rotation);
        if (_ring is { } ring && ring.Epoch == epoch && ReferenceEquals(ring.Master, master.Secret))
        {
            return ring.Keys;
        }
        var built = Build(master.Secret, epoch, _ring);
        _ring = built;
        return built.Keys;
    }

    private async ValueTask<Master> RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = _master;
        try
        {
            var secret = await secrets.GetOrCreateSecretAsync(SecretName, cancellationToken);
            // Same bytes: keep the held array, so the derived keys are reused rather than derived again.
            var master = new Master(held is not null && held.Secret.AsSpan().SequenceEqual(secret) ? held.Secret : secret, now + AssertionOptions.JwksMaxAge);
            _master = master;
            return master;
        }
        catch (SessionStoreUnavailableException e) when (held is not null)
        {
            LogRefreshFailed(logger, e.TimedOut);
            var kept = held with { RefreshAt = now + RetryAfterFailure };
            _master = kept;
            return kept;
        }
    }

    private static Ring Build(byte[] secret, long epoch, Ring? previous)
    {
        AssertionKey KeyOf(long n) =>
            previous is not null && ReferenceEquals(previous.Master, secret) && previous.ByEpoch.TryGetValue(n, out var known)
                ? known
                : new AssertionKey(AssertionKeyDerivation.Derive(secret, n));
        var byEpoch = new Dictionary<long, AssertionKey> { [epoch] = KeyOf(epoch), [epoch + 1] = KeyOf(epoch + 1), [epoch - 1] = KeyOf(epoch - 1) };
        return new Ring(secret, epoch, byEpoch, new AssertionKeyRing(byEpoch[epoch], [byEpoch[epoch], byEpoch[epoch + 1], byEpoch[epoch - 1]]));
    }

    private sealed record Master(byte[] Secret, DateTimeOffset RefreshAt);

    private sealed record Ring(byte[] Master, long Epoch, Dictionary<long, AssertionKey> ByEpoch, AssertionKeyRing Keys);

    [LoggerMessage(EventId = 2700, EventName = "AssertionSecretRefreshFailed", Level = LogLevel.Warning,
        Message = "Could not re-read the assertion key secret from the session store (timed out: {TimedOut}); signing on with the one held.")]
    private static partial void LogRefreshFailed(ILogger logger, bool timedOut);
}
