namespace Gateway.Tests.Fixtures;

/// <summary>
/// A clock the test moves by hand; everything the gateway decides by time reads it. Timers created on it fire on the
/// real clock as before, and also when <see cref="Advance"/> moves the clock past their due time, so a test can make
/// a timer-driven decision (an absolute expiry) happen without waiting for it.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = start.UtcTicks;

    /// <summary>Starts at the real current time (whole milliseconds), so processes on the real clock agree with it.</summary>
    public ManualTimeProvider()
        : this(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        var now = Interlocked.Add(ref _ticks, by.Ticks);
        List<ManualTimer> due;
        lock (_lock)
        {
            due = _timers.Where(t => t.DueAt(now)).ToList();
        }
        foreach (var timer in due)
        {
            timer.Fire(now);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    private void Forget(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _real;
        private long _dueTicks = long.MaxValue;
        private long _periodTicks;

        public ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _real = System.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool DueAt(long now) => Interlocked.Read(ref _dueTicks) <= now;

        public void Fire(long now)
        {
            var period = Interlocked.Read(ref _periodTicks);
            Interlocked.Exchange(ref _dueTicks, period > 0 ? now + period : long.MaxValue);
            ThreadPool.QueueUserWorkItem(_ => _callback(_state));
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Exchange(ref _periodTicks, period > TimeSpan.Zero ? period.Ticks : 0);
            Interlocked.Exchange(ref _dueTicks, dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : _clock.GetUtcNow().UtcTicks + dueTime.Ticks);
            return _real.Change(dueTime, period);
        }

        public void Dispose()
        {
            _clock.Forget(this);
            _real.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
