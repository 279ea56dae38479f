using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Sessions;

namespace Gateway.Security;

/// <summary>
/// Remembers for the near-cache lifetime (<c>Gateway:Store:NearCache</c>) that a subject is not banned, in front of a
/// shared store's <see cref="IThrottleStore"/> (Redis), so the ban check of a Basic request with a live credential
/// link costs no round trip. Only the absence of a ban is remembered, never a ban: a ban ending or lifted takes effect
/// as without it. A gateway that starts a ban publishes the subject's id on the store's
/// <see cref="IInvalidationChannel"/> (Redis: <c>&lt;prefix&gt;inv-bans</c>), and every gateway, this one included,
/// forgets that subject: a ban made on any instance is enforced on all of them within the channel's delay, and at most
/// the lifetime when a message is lost. A read that overlaps any ban message is not remembered (it may predate the
/// ban), nothing is remembered until the subscription is confirmed, a lost channel empties the memo, and a reservation
/// refused by a ban forgets the subject too. Bounded by <c>Gateway:Store:NearCacheSize</c>.
/// </summary>
internal sealed class NearCacheThrottleStore : IThrottleStore, IDisposable
{
    private static readonly Task<DateTimeOffset?> NotBanned = Task.FromResult<DateTimeOffset?>(null);

    private readonly IThrottleStore _inner;
    private readonly NearCacheChannel _channel;
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;
    // Subject id → timestamp until which "not banned" may be answered without asking Redis.
    private readonly ConcurrentDictionary<string, long> _clear = new(StringComparer.Ordinal);
    private long _lastSweep;

    public NearCacheThrottleStore(IThrottleStore inner, IInvalidationChannel channel, StoreOptions options, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _lifetimeTicks = (long)(options.NearCacheLifetime.TotalSeconds * time.TimestampFrequency);
        _capacity = options.NearCacheSize;
        _channel = new NearCacheChannel(channel, InvalidationTopic.Bans, Forget, _clear.Clear);
    }

    /// <summary>Subjects remembered as not banned (for tests).</summary>
    internal int Count => _clear.Count;

    public Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken) =>
        _clear.TryGetValue(subject.Id, out var expires) && _time.GetTimestamp() < expires ? NotBanned : ReadBanAsync(subject, now, cancellationToken);

    public async Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = await _inner.RecordFailureAsync(subject, member, rule, now, cancellationToken);
        if (until is not null)
        {
            // Forgotten here before the caller answers; every other gateway when the message arrives, sent even when
            // the caller has gone (a guesser must not keep its ban from spreading by hanging up).
            Forget(subject.Id);
            await _channel.PublishAsync(subject.Id, CancellationToken.None);
        }
        return until;
    }

    public async Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var reservation = await _inner.ReserveAsync(subject, attempt, rule, now, lease, cancellationToken);
        if (reservation.BannedUntil is not null)
        {
            // A ban whose message has not arrived (or was lost): the next check must not be answered from memory.
            Forget(subject.Id);
        }
        return reservation;
    }

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        _inner.ReleaseAsync(subject, attempt, cancellationToken);

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken) => _inner.ResetAsync(subject, cancellationToken);

    public Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken) =>
        _inner.SucceededAsync(subject, attempt, cancellationToken);

    public Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        _inner.ListBansAsync(now, max, cancellationToken);

    // Lifting only removes a ban, which a memo of absences cannot contradict.
    public Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken) => _inner.LiftAsync(id, cancellationToken);

    public void Dispose() => _channel.Dispose();

    private async Task<DateTimeOffset?> ReadBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var epoch = _channel.Epoch;
        var read = _time.GetTimestamp();
        var until = await _inner.GetBanAsync(subject, now, cancellationToken);
        if (until is not null)
        {
            _clear.TryRemove(subject.Id, out _);
        }
        else if (_channel.MayKeep(epoch) && (_clear.Count < _capacity || Sweep(read)))
        {
            _clear[subject.Id] = read + _lifetimeTicks;
            // A ban message that arrived meanwhile may have missed this entry.
            if (!_channel.MayKeep(epoch))
            {
                _clear.TryRemove(subject.Id, out _);
            }
        }
        return until;
    }

    private bool Sweep(long now) => ExpiringEntries.Sweep(_clear, expires => expires, ref _lastSweep, now, _lifetimeTicks, _capacity);

    private void Forget(string id)
    {
        _channel.Advance();
        _clear.TryRemove(id, out _);
    }
}
