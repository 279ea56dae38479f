using Gateway.Sessions;

namespace Gateway.Connections;

/// <summary>
/// The tracked connections of one session on this instance, with the timer that touches the session while they are
/// open and closes them at its absolute expiry. Changed only under the registry's lock.
/// </summary>
internal sealed class SessionConnections(SessionKey key, string user, ClientInfo client, DateTimeOffset absoluteExpiry)
{
    /// <summary>The session's key: moves to the successor when the session is rotated.</summary>
    public SessionKey Key { get; set; } = key;

    public string User { get; } = user;

    /// <summary>The client the session was first tracked for (the user-agent binding is checked against it).</summary>
    public ClientInfo Client { get; } = client;

    public DateTimeOffset AbsoluteExpiry { get; } = absoluteExpiry;

    public List<TrackedConnection> Connections { get; } = [];

    public ITimer? Timer { get; set; }

    /// <summary>Ended, emptied or merged into another group: no longer in the registry.</summary>
    public bool Removed { get; set; }

    /// <summary>A check of the session is running; <see cref="Again"/> asks it for one more round.</summary>
    public bool Checking { get; set; }

    public bool Again { get; set; }
}
