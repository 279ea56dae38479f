using System.Diagnostics.Metrics;
using Gateway.Telemetry;

namespace Gateway.Sessions;

/// <summary>
/// Feeds the <c>gateway.session.active</c> gauge from the store every <see cref="Interval"/>: a scrape reads the
/// last count and never waits on the store. While the store cannot answer, the gauge reports nothing rather than
/// a stale number. Stores without <see cref="IActiveSessionCounter"/> report no gauge.
/// </summary>
internal sealed partial class ActiveSessionsMonitor : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly IActiveSessionCounter? _counter;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveSessionsMonitor> _logger;
    private long _count = -1;

    public ActiveSessionsMonitor(TimeProvider time, IMeterFactory meters, ILogger<ActiveSessionsMonitor> logger, IActiveSessionCounter? counter = null)
    {
        _counter = counter;
        _time = time;
        _logger = logger;
        if (_counter is not null)
        {
            meters.Create(GatewayTelemetry.Name).CreateObservableGauge("gateway.session.active", Observe, "{session}",
                "Sessions whose idle expiry is ahead, as counted by the store at most " + Interval.TotalSeconds + " s ago.");
        }
    }

    /// <summary>Counts now; false when the store could not answer (the gauge then reports nothing).</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        if (_counter is null)
        {
            return false;
        }
        try
        {
            Interlocked.Exchange(ref _count, await _counter.CountActiveAsync(_time.GetUtcNow(), cancellationToken));
            return true;
        }
        catch (SessionStoreUnavailableException e)
        {
            Interlocked.Exchange(ref _count, -1);
            LogCountFailed(_logger, e.TimedOut);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_counter is null)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var count = Interlocked.Read(ref _count);
        return count < 0 ? [] : [new Measurement<long>(count)];
    }

    [LoggerMessage(EventId = 1900, EventName = "ActiveSessionCountFailed", Level = LogLevel.Debug,
        Message = "Could not count active sessions (timed out: {TimedOut}); the gauge reports nothing until the store answers.")]
    private static partial void LogCountFailed(ILogger logger, bool timedOut);
}
