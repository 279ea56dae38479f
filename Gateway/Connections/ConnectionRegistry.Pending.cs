namespace Gateway.Connections;

/// <summary>
/// Proxied requests of a session that are not tracked (yet): in a list from oldest to newest, linked through the
/// connections themselves so that an ordinary request costs no node and no hashing. Once a second the sweep tracks
/// those running for <c>Gateway:Connections:StreamAfter</c> as streams. Changed only under the registry's lock.
/// </summary>
internal sealed partial class ConnectionRegistry
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private TrackedConnection? _oldest;
    private TrackedConnection? _newest;

    /// <summary>A proxied request of a session starts: pending until it turns out to be a stream.</summary>
    public void Begin(TrackedConnection connection)
    {
        lock (_gate)
        {
            connection.Pending = true;
            connection.Previous = _newest;
            if (_newest is null)
            {
                _oldest = connection;
            }
            else
            {
                _newest.Next = connection;
            }
            _newest = connection;
        }
    }

    // Under the lock. False when it was not pending (tracked, reserved or ended meanwhile).
    private bool Unlink(TrackedConnection connection)
    {
        if (!connection.Pending)
        {
            return false;
        }
        if (connection.Previous is { } previous)
        {
            previous.Next = connection.Next;
        }
        else
        {
            _oldest = connection.Next;
        }
        if (connection.Next is { } next)
        {
            next.Previous = connection.Previous;
        }
        else
        {
            _newest = connection.Previous;
        }
        connection.Pending = false;
        connection.Previous = connection.Next = null;
        return true;
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        var after = _options.CurrentValue.Connections.StreamAfter;
        List<TrackedConnection>? due = null;
        lock (_gate)
        {
            for (var connection = _oldest; connection is not null; connection = connection.Next)
            {
                if (_time.GetElapsedTime(connection.Started, now) >= after)
                {
                    (due ??= []).Add(connection);
                }
            }
        }
        if (due is null)
        {
            return;
        }
        foreach (var connection in due)
        {
            if (!Track(connection, "stream") && TryRemovePending(connection))
            {
                // Beyond the bound: a stream that cannot be tracked is not left open.
                if (connection.TryEnd())
                {
                    _ = connection.CloseAsync("limit", CloseTimeout);
                }
            }
        }
    }

    private bool TryRemovePending(TrackedConnection connection)
    {
        lock (_gate)
        {
            return Unlink(connection);
        }
    }
}
