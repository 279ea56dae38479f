using Gateway.Sessions;
using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>What SQLite's refusals mean to callers (503) and to operators (one log line per outage); event ids 2400-2409.</summary>
internal sealed partial class SqliteDatabase
{
    private SessionStoreUnavailableException Unavailable(SqliteException e, bool write)
    {
        var code = e.SqliteErrorCode & 0xFF;
        var busy = code is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED: waited busy_timeout
        var reason = code switch
        {
            13 => "the disk is full",
            8 => "the file is read-only",
            10 => "an I/O error",
            14 => "the file cannot be opened",
            11 or 26 => "the file is corrupt or not a database",
            _ when busy => "the file stayed locked past busy_timeout",
            _ => e.Message,
        };
        if (write && Interlocked.Exchange(ref _writesRefused, 1) == 0)
        {
            LogWritesRefused(_logger, Path, reason, code);
        }
        return new SessionStoreUnavailableException($"SQLite {(write ? "refused a write" : "could not read")}: {reason}.", timedOut: busy, e);
    }

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
