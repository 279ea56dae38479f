namespace Gateway.Users;

/// <summary>The refusals' log: one line per interval with the count since the last, never one per refused login.</summary>
internal sealed partial class PasswordVerifier
{
    /// <summary>At most one refusal line per this interval.</summary>
    public static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private long _refused;
    private long _lastLog = long.MinValue;

    private void Refused()
    {
        Interlocked.Increment(ref _refused);
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastLog);
        if (last != long.MinValue && now - last < RefusalLogInterval.Ticks)
        {
            return;
        }
        // One caller wins the interval; the others' refusals are in the count it reports or the next one.
        if (Interlocked.CompareExchange(ref _lastLog, now, last) == last)
        {
            LogRefused(_logger, Interlocked.Exchange(ref _refused, 0), _options.CurrentValue.Login.QueueTimeout);
        }
    }

    [LoggerMessage(EventId = 1110, EventName = "LoginCapacityExceeded", Level = LogLevel.Warning,
        Message = "Login capacity exceeded: {Count} logins refused with 503 since the last report, none of them started hashing within Gateway:Login:QueueTimeout ({QueueTimeout}).")]
    private static partial void LogRefused(ILogger logger, long count, TimeSpan queueTimeout);
}
