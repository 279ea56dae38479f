using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Sessions;
using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// The one SQLite file of this process: WAL journal (readers never wait for the writer), <c>busy_timeout</c> and
/// <c>synchronous=FULL</c> (a committed write survives a crash and a power cut). Writes go through one connection,
/// one at a time (a gate bounded by <c>Gateway:Store:Timeout</c>); reads use a small pool of connections alongside.
/// Every connection keeps its prepared statements. A write SQLite refuses (disk full, read-only or failing file)
/// throws <see cref="SessionStoreUnavailableException"/> (503) and is logged once until writes work again; reads go
/// on being served.
/// </summary>
internal sealed partial class SqliteDatabase : IDisposable
{
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly SqliteFile _file;
    private readonly SqliteChannel _writer;
    private readonly string _connectionString;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentBag<SqliteChannel> _readers = [];
    private int _idleReaders;
    private int _writesRefused;
    private int _disposed;

    private SqliteDatabase(SqliteFile file, SqliteChannel writer, string connectionString, TimeSpan timeout, ILogger logger)
    {
        _file = file;
        _writer = writer;
        _connectionString = connectionString;
        _timeout = timeout;
        _logger = logger;
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path => _file.Path;

    private T ReadCore<T>(Func<SqliteChannel, T> read)
    {
        SqliteChannel? channel = null;
        try
        {
            channel = _readers.TryTake(out var idle) ? idle : OpenChannel(_connectionString, _timeout);
            if (idle is not null)
            {
                Interlocked.Decrement(ref _idleReaders);
            }
            var result = read(channel);
            if (Interlocked.Increment(ref _idleReaders) <= MaxIdleReaders)
            {
                _readers.Add(channel);
            }
            else
            {
                Interlocked.Decrement(ref _idleReaders);
                channel.Dispose();
            }
            return result;
        }
        catch (SqliteException e)
        {
            channel?.Dispose(); // its state is unknown: a fresh one next time
            throw Unavailable(e, write: false);
        }
    }

    /// <summary>Runs raw SQL on the writer connection (tests: limits that make SQLite refuse writes).</summary>
    internal Task ExecuteOnWriterAsync(string sql) => WriteCoreAsync(channel => channel.Execute(sql), CancellationToken.None);

    private async Task<T> WriteCoreAsync<T>(Func<SqliteChannel, T> write, CancellationToken cancellationToken)
    {
        if (!await _writeGate.WaitAsync(_timeout, cancellationToken))
        {
            throw new SessionStoreUnavailableException("The SQLite store did not take the write within the store timeout.", timedOut: true);
        }
        try
        {
            var result = write(_writer);
            if (Interlocked.Exchange(ref _writesRefused, 0) == 1)
            {
                LogWritesResumed(_logger, Path);
            }
            return result;
        }
        catch (SqliteException e)
        {
            throw Unavailable(e, write: true);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static T InTransaction<T>(SqliteChannel channel, Func<SqliteChannel, T> work)
    {
        channel.Execute(SqliteQueries.Begin);
        try
        {
            var result = work(channel);
            channel.Execute(SqliteQueries.Commit);
            return result;
        }
        catch
        {
            try
            {
                channel.Execute(SqliteQueries.Rollback);
            }
            catch (SqliteException)
            {
                // SQLite rolled back by itself (disk full, I/O error): nothing is pending.
            }
            throw;
        }
    }

    private static SqliteChannel OpenChannel(string connectionString, TimeSpan timeout)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var channel = new SqliteChannel(connection);
            channel.Execute("PRAGMA busy_timeout = " + ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            return channel;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _writeGate.Wait(); // a write in progress finishes first
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
        _writer.Dispose(); // the last connection to close checkpoints the WAL into the database
        _file.Dispose();
    }
}
