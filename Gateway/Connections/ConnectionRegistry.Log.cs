namespace Gateway.Connections;

/// <summary>The registry's log messages.</summary>
internal sealed partial class ConnectionRegistry
{
    [LoggerMessage(EventId = 2750, EventName = "ConnectionClosed", Level = LogLevel.Information,
        Message = "Closed a {Kind} of session {Handle}: its session ended ({Reason}).")]
    private static partial void LogClosed(ILogger logger, string kind, string handle, string reason);

    [LoggerMessage(EventId = 2751, EventName = "ConnectionRefused", Level = LogLevel.Warning,
        Message = "Refused a connection of session {Handle}: {Count} connections are tracked already (Gateway:Connections:MaxTracked).")]
    private static partial void LogRefused(ILogger logger, string handle, int count);

    [LoggerMessage(EventId = 2752, EventName = "ConnectionCheckFailed", Level = LogLevel.Warning,
        Message = "Could not check session {Handle} of open connections (timed out: {TimedOut}); they stay open until the next check.")]
    private static partial void LogCheckFailed(ILogger logger, string handle, bool timedOut);
}
