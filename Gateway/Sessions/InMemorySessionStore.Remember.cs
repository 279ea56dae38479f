using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.Sessions;

/// <summary>Remember-me tokens in memory.</summary>
internal sealed partial class InMemorySessionStore
{
    private readonly ConcurrentDictionary<string, RememberRecord> _remember = new(StringComparer.Ordinal);

    public Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken)
    {
        _remember[selector] = record;
        return Task.CompletedTask;
    }

    public Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken) =>
        Task.FromResult(_remember.TryGetValue(selector, out var record) && record.Expires > time.GetUtcNow() ? record : null);

    public Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken)
    {
        while (_remember.TryGetValue(selector, out var record) && record.Expires > time.GetUtcNow())
        {
            if (!CryptographicOperations.FixedTimeEquals(record.ValidatorHash, expectedHash))
            {
                return Task.FromResult(RememberRotation.Lost);
            }
            // Replaces exactly the record read: a parallel rotation in between sends this one round again.
            if (_remember.TryUpdate(selector, record with { ValidatorHash = nextHash, PreviousHash = expectedHash, RotatedAt = rotatedAt }, record))
            {
                return Task.FromResult(RememberRotation.Rotated);
            }
        }
        return Task.FromResult(RememberRotation.Gone);
    }

    public Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken)
    {
        _remember.TryRemove(selector, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_remember.Where(r => r.Value.User == user).Select(r => r.Key).ToList());
}
