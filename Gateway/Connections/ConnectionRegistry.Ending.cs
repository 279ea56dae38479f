using Gateway.Sessions;
using Gateway.Telemetry;

namespace Gateway.Connections;

/// <summary>Ending a session's connections (audited and counted), and moving them when the session is rotated.</summary>
internal sealed partial class ConnectionRegistry
{
    // Ends every connection of the session, each audited and counted with the reason.
    private void End(SessionConnections group, string reason)
    {
        List<TrackedConnection> ending;
        lock (_gate)
        {
            if (group.Removed)
            {
                return;
            }
            ending = [.. group.Connections];
            _count -= ending.Count;
            Remove(group);
        }
        foreach (var connection in ending)
        {
            _ = EndAsync(connection, group.Key, reason, group.Client.Ip);
        }
    }

    private async Task EndAsync(TrackedConnection connection, SessionKey key, string reason, string ip)
    {
        if (!connection.TryEnd())
        {
            return;
        }
        var closing = connection.CloseAsync(reason, CloseTimeout);
        GatewayTelemetry.ConnectionClosed(connection.Kind, reason);
        LogClosed(_logger, connection.Kind, key.Handle, reason);
        await _audit.RecordAsync("connection_closed", connection.User, key, reason, "gateway", ip);
        await closing;
    }

    // A rotated session keeps its connections under the successor's key (merged with any opened there already).
    private void Move(SessionConnections group, SessionKey successor)
    {
        lock (_gate)
        {
            if (group.Removed || group.Key == successor)
            {
                return;
            }
            _tracked.Remove(group.Key.Value);
            if (_tracked.TryGetValue(successor.Value, out var existing))
            {
                foreach (var connection in group.Connections)
                {
                    connection.Group = existing;
                    existing.Connections.Add(connection);
                }
                group.Connections.Clear();
                group.Removed = true;
                group.Timer?.Dispose();
                return;
            }
            group.Key = successor;
            _tracked[successor.Value] = group;
        }
    }

    // Under the lock.
    private void Remove(SessionConnections group)
    {
        group.Removed = true;
        group.Timer?.Dispose();
        if (_tracked.TryGetValue(group.Key.Value, out var current) && current == group)
        {
            _tracked.Remove(group.Key.Value);
        }
    }
}
