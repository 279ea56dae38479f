using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Connections;

/// <summary>
/// This instance's WebSockets and streams, by the session they were authorised with (its key hash, never the id),
/// so that they end when their session ends, wherever it ended: at once for what this process ends (the session
/// rules' <see cref="SessionService.Ended"/>), on the store's invalidation channel for what another gateway ends, and
/// by a timer at the absolute expiry. While a session has a tracked connection it is touched at the touch interval,
/// and it follows the session through rotation. Ordinary requests are only pending: a request still running after
/// <c>Gateway:Connections:StreamAfter</c> becomes a tracked stream (the checks live in <c>ConnectionRegistry.Checks.cs</c>).
/// </summary>
internal sealed partial class ConnectionRegistry : IHostedService, IDisposable
{
    /// <summary>How long a WebSocket close waits for a frame boundary and the client's answer before the abort.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The <c>Retry-After</c> of a connection refused beyond <c>Gateway:Connections:MaxTracked</c>.</summary>
    public static readonly TimeSpan RefusedRetryAfter = TimeSpan.FromSeconds(5);

    private readonly SessionService _sessions;
    private readonly AuditTrail _audit;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionRegistry> _logger;
    private readonly IInvalidationChannel? _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SessionConnections> _tracked = new(StringComparer.Ordinal);
    private int _count;

    public ConnectionRegistry(SessionService sessions, AuditTrail audit, IOptionsMonitor<GatewayOptions> options,
        TimeProvider time, ILogger<ConnectionRegistry> logger, IInvalidationChannel? channel = null)
    {
        _sessions = sessions;
        _audit = audit;
        _options = options;
        _time = time;
        _logger = logger;
        _channel = channel;
    }

    /// <summary>Connections tracked now (WebSockets, streams), for tests and diagnostics.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Holds a place for an upgrade before it is forwarded; false when the bound is reached.</summary>
    public bool TryReserve(TrackedConnection connection)
    {
        lock (_gate)
        {
            if (_count >= _options.CurrentValue.Connections.MaxTracked)
            {
                LogRefused(_logger, connection.Key.Handle, _count);
                return false;
            }
            _count++;
            connection.Reserved = true;
            return true;
        }
    }

    /// <summary>
    /// Tracks a WebSocket, an event stream, or a response that has run long, then checks its session (it may have
    /// ended since the request was authenticated). False when the request has ended or the bound is reached.
    /// </summary>
    public bool Track(TrackedConnection connection, string kind)
    {
        if (connection.Client() is not { } client)
        {
            return false;
        }
        SessionConnections group;
        lock (_gate)
        {
            // Ended after its client was read: Complete has run (or runs next) and would not find it in a group.
            if (connection.Completed)
            {
                return false;
            }
            if (!connection.Reserved && _count >= _options.CurrentValue.Connections.MaxTracked)
            {
                LogRefused(_logger, connection.Key.Handle, _count);
                return false;
            }
            Unlink(connection);
            if (!connection.Reserved)
            {
                _count++;
            }
            connection.Reserved = false;
            connection.Kind = kind;
            if (!_tracked.TryGetValue(connection.Key.Value, out group!))
            {
                group = new SessionConnections(connection.Key, connection.User, client, connection.AbsoluteExpiry);
                group.Timer = _time.CreateTimer(OnDue, group, Due(group), Timeout.InfiniteTimeSpan);
                _tracked[connection.Key.Value] = group;
            }
            group.Connections.Add(connection);
            connection.Group = group;
        }
        _ = CheckAsync(group);
        return true;
    }

    /// <summary>The request has ended: its entry is dropped.</summary>
    public void Complete(TrackedConnection connection)
    {
        connection.Done();
        lock (_gate)
        {
            connection.Completed = true;
            Unlink(connection);
            if (connection.Group is { Removed: false } group && group.Connections.Remove(connection))
            {
                _count--;
                if (group.Connections.Count == 0)
                {
                    Remove(group);
                }
            }
            else if (connection.Reserved)
            {
                connection.Reserved = false;
                _count--;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        StartChecks();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopChecks();
        _stopping.Dispose();
    }
}
