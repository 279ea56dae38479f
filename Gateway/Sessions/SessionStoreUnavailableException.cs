using Gateway.Telemetry;

namespace Gateway.Sessions;

/// <summary>The store could not answer in time or at all: callers answer 503, never 500.</summary>
internal sealed class SessionStoreUnavailableException(string message, bool timedOut, Exception? inner = null)
    : Exception(message, inner), IStoreTimeout
{
    /// <summary>True when the bounded timeout expired (as opposed to a refused or broken connection).</summary>
    public bool TimedOut { get; } = timedOut;
}
