namespace Gateway.Stores.Sqlite;

/// <summary>Logging of the SQLite store (event ids 2400-2409).</summary>
internal sealed partial class SqliteDatabase
{
    [LoggerMessage(EventId = 2400, EventName = "SqliteOpened", Level = LogLevel.Information,
        Message = "SQLite store {Path} opened (schema version {Version}, WAL): durable, this process only.")]
    private static partial void LogOpened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 2401, EventName = "SqliteWritesRefused", Level = LogLevel.Error,
        Message = "SQLite store {Path} refuses writes: {Reason} (SQLite error {Code}). Logins, logouts and revocations answer 503 until it accepts writes again; existing sessions are still read.")]
    private static partial void LogWritesRefused(ILogger logger, string path, string reason, int code);

    [LoggerMessage(EventId = 2402, EventName = "SqliteWritesResumed", Level = LogLevel.Information,
        Message = "SQLite store {Path} accepts writes again.")]
    private static partial void LogWritesResumed(ILogger logger, string path);
}
