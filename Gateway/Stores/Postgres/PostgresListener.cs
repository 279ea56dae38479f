using System.Collections.Immutable;
using System.Net.Sockets;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>
/// The one connection of this process that <c>LISTEN</c>s on the store's channel: its own unpooled connection (so a
/// dead one is noticed by its keepalive query while it waits, and never handed to a request), a
/// <see cref="NpgsqlConnection.WaitAsync(CancellationToken)"/> loop, and on any failure a reconnect with backoff
/// and a new <c>LISTEN</c>. Notifications sent while it was away are lost, so every handler is told
/// (<c>lost</c>) when the connection fails and again when it listens anew; until it listens, <see cref="Listening"/> is
/// false and a near cache keeps nothing. Started by the first registration, ended with the process.
/// </summary>
internal sealed partial class PostgresListener : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _source;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private ImmutableArray<Handler> _handlers = [];
    private Task? _loop;
    private volatile bool _listening;

    /// <param name="connectionString">The store's connection string; the listener's own connection is unpooled, with keepalives.</param>
    /// <param name="channel">The channel name (at most 63 bytes, as PostgreSQL truncates longer identifiers).</param>
    public PostgresListener(string connectionString, string channel, ILogger<PostgresListener> logger)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.KeepAlive = KeepAliveSeconds;
        builder.ConnectionStringBuilder.ApplicationName ??= "gateway-listener";
        _source = builder.Build();
        Channel = channel;
        _logger = logger;
    }

    /// <summary>Seconds of silence after which the waiting connection sends a keepalive query (a dead peer then fails it).</summary>
    public const int KeepAliveSeconds = 5;

    public string Channel { get; }

    /// <summary>True while <c>LISTEN</c> is in force on a live connection.</summary>
    public bool Listening => _listening;

    /// <summary>Hands every payload to <paramref name="received"/> and every possible loss to <paramref name="lost"/> until disposed.</summary>
    public IDisposable Register(Action<string> received, Action lost)
    {
        var handler = new Handler(this, received, lost);
        lock (_lock)
        {
            _handlers = _handlers.Add(handler);
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        }
        return handler;
    }

    /// <summary>The process id of the listening backend (for tests that end it with <c>pg_terminate_backend</c>), or null.</summary>
    internal int? BackendProcessId { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _source.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = MinBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stopping);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN \"" + Channel.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                BackendProcessId = connection.ProcessID;
                _listening = true;
                Lost(); // a read in flight across the gap must not be kept
                LogListening(_logger, Channel);
                backoff = MinBackoff;
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or SocketException or TimeoutException or OperationCanceledException)
            {
                LogLost(_logger, Channel, e.GetType().Name, e.Message);
            }
            finally
            {
                _listening = false;
                BackendProcessId = null;
                Lost();
            }
            try
            {
                await Task.Delay(backoff, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private void Dispatch(string payload)
    {
        foreach (var handler in _handlers)
        {
            handler.Received(payload);
        }
    }

    private void Lost()
    {
        foreach (var handler in _handlers)
        {
            handler.Lost();
        }
    }

    private void Remove(Handler handler)
    {
        lock (_lock)
        {
            _handlers = _handlers.Remove(handler);
        }
    }

    private sealed class Handler(PostgresListener owner, Action<string> received, Action lost) : IDisposable
    {
        public Action<string> Received { get; } = received;

        public Action Lost { get; } = lost;

        public void Dispose() => owner.Remove(this);
    }

    [LoggerMessage(EventId = 2307, EventName = "PostgresListening", Level = LogLevel.Information, Message = "Near cache: listening on PostgreSQL channel {Channel}.")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 2308, EventName = "PostgresListenerLost", Level = LogLevel.Warning,
        Message = "Near cache: the PostgreSQL listener on {Channel} failed ({Cause}: {Reason}); the cache is emptied, nothing is kept until it listens again.")]
    private static partial void LogLost(ILogger logger, string channel, string cause, string reason);
}
