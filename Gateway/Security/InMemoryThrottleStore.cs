namespace Gateway.Security;

/// <summary>
/// Counters, bans and checks in progress of one process, for the in-memory (single instance) deployment. Same rules
/// as the Redis store; entries past their window, ban or lease are dropped when the maps grow, so memory stays bounded.
/// </summary>
internal sealed class InMemoryThrottleStore : IThrottleStore
{
    private const int PruneThreshold = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Ban> _bans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _pending = new(StringComparer.Ordinal);

    public Task<DateTimeOffset?> GetBanAsync(ThrottleSubject subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_bans.TryGetValue(subject.Id, out var ban) && ban.Until > now ? ban.Until : (DateTimeOffset?)null);
        }
    }

    public Task<DateTimeOffset?> RecordFailureAsync(ThrottleSubject subject, string? member, ThrottleRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_bans.TryGetValue(subject.Id, out var existing) && existing.Until > now)
            {
                return Task.FromResult<DateTimeOffset?>(existing.Until);
            }
            Prune(now);
            if (!_counters.TryGetValue(subject.Id, out var counter) || now - counter.Start >= rule.Window)
            {
                counter = _counters[subject.Id] = new Counter(now, rule.Window);
            }
            if (member is null || counter.Members.Add(member))
            {
                counter.Count++;
            }
            if (counter.Count < rule.Limit)
            {
                return Task.FromResult<DateTimeOffset?>(null);
            }
            _counters.Remove(subject.Id);
            var ban = new Ban(subject.Id, subject.Kind, subject.User, subject.Ip, now + rule.BanTime, counter.Count);
            _bans[subject.Id] = ban;
            return Task.FromResult<DateTimeOffset?>(ban.Until);
        }
    }

    public Task<Reservation> ReserveAsync(ThrottleSubject subject, string attempt, ThrottleRule rule, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_bans.TryGetValue(subject.Id, out var ban) && ban.Until > now)
            {
                return Task.FromResult(new Reservation(false, ban.Until));
            }
            Prune(now);
            var failures = _counters.TryGetValue(subject.Id, out var counter) && now - counter.Start < rule.Window ? counter.Count : 0;
            if (!_pending.TryGetValue(subject.Id, out var pending))
            {
                pending = _pending[subject.Id] = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            }
            foreach (var lapsed in pending.Where(p => p.Value <= now).Select(p => p.Key).ToList())
            {
                pending.Remove(lapsed);
            }
            if (failures + pending.Count >= rule.Limit)
            {
                return Task.FromResult(new Reservation(false, null));
            }
            pending[attempt] = now + lease;
            return Task.FromResult(new Reservation(true, null));
        }
    }

    public Task ReleaseAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(subject.Id, out var pending) && pending.Remove(attempt) && pending.Count == 0)
            {
                _pending.Remove(subject.Id);
            }
        }
        return Task.CompletedTask;
    }

    public Task ResetAsync(ThrottleSubject subject, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _counters.Remove(subject.Id);
        }
        return Task.CompletedTask;
    }

    public async Task SucceededAsync(ThrottleSubject subject, string attempt, CancellationToken cancellationToken)
    {
        await ResetAsync(subject, cancellationToken);
        await ReleaseAsync(subject, attempt, cancellationToken);
    }

    public Task<IReadOnlyList<Ban>> ListBansAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Ban> bans = _bans.Values.Where(b => b.Until > now).OrderBy(b => b.Until).Take(max).ToList();
            return Task.FromResult(bans);
        }
    }

    public Task<Ban?> LiftAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _counters.Remove(id);
            _pending.Remove(id);
            return Task.FromResult(_bans.Remove(id, out var ban) ? ban : null);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (_counters.Count + _bans.Count + _pending.Count < PruneThreshold)
        {
            return;
        }
        foreach (var (id, _) in _counters.Where(c => now - c.Value.Start >= c.Value.Window).ToList())
        {
            _counters.Remove(id);
        }
        foreach (var id in _bans.Where(b => b.Value.Until <= now).Select(b => b.Key).ToList())
        {
            _bans.Remove(id);
        }
        foreach (var id in _pending.Where(p => p.Value.Values.All(until => until <= now)).Select(p => p.Key).ToList())
        {
            _pending.Remove(id);
        }
    }

    private sealed class Counter(DateTimeOffset start, TimeSpan window)
    {
        public DateTimeOffset Start { get; } = start;

        public TimeSpan Window { get; } = window;

        public int Count { get; set; }

        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    }
}
