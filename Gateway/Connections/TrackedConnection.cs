using Gateway.Sessions;

namespace Gateway.Connections;

/// <summary>
/// One proxied request of a session, from its start: pending while it may still be an ordinary request, tracked once
/// it is a WebSocket, an event stream, or has run for <c>Gateway:Connections:StreamAfter</c>. Also the request's
/// feature, so the response transform finds it. The <see cref="HttpContext"/> is touched from other threads only
/// under the lock and while the request runs: Kestrel reuses the object for the next request once it is done.
/// </summary>
internal sealed class TrackedConnection(HttpContext context, ResolvedSession session, long started)
{
    // Context access locks this object's own monitor: a Lock object would be one more allocation on every request.
    private bool _done;
    private int _ending;

    public SessionKey Key { get; } = session.Key;

    public string User { get; } = session.User;

    /// <summary>When the session reaches its absolute expiry (unchanged by rotation).</summary>
    public DateTimeOffset AbsoluteExpiry { get; } = session.Record.AbsoluteExpiry;

    /// <summary>When the request started (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long Started { get; } = started;

    /// <summary>An upgrade holds a place within the bound from its start, so it can be refused before the backend sees it.</summary>
    public bool Reserved { get; set; }

    /// <summary>websocket, upgrade or stream: what the close did (a Close frame, or an abort).</summary>
    public string Kind { get; set; } = "stream";

    /// <summary>Set once tracked (under the registry's lock): the session's group it belongs to.</summary>
    public SessionConnections? Group { get; set; }

    /// <summary>The client side of a WebSocket, once upgraded.</summary>
    public WebSocketCloseStream? Socket { get; set; }

    /// <summary>The request has ended, as the registry knows it (under its lock, so a track racing the end sees it).</summary>
    public bool Completed { get; set; }

    /// <summary>In the registry's list of pending requests, which runs through the connections (no node per request).</summary>
    public bool Pending { get; set; }

    public TrackedConnection? Previous { get; set; }

    public TrackedConnection? Next { get; set; }

    /// <summary>The client's address and user agent, read while the request runs; null when it has already ended.</summary>
    public ClientInfo? Client()
    {
        lock (this)
        {
            return _done ? null : ClientInfo.From(context);
        }
    }

    /// <summary>The request has ended: the context is no longer this request's.</summary>
    public void Done()
    {
        lock (this)
        {
            _done = true;
        }
    }

    /// <summary>True for the first caller only: the connection is to be ended (once).</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ending, 1) == 0;

    /// <summary>Closes a WebSocket with 1008 and <paramref name="reason"/>, then aborts the request.</summary>
    public async Task CloseAsync(string reason, TimeSpan closeTimeout)
    {
        if (Socket is { } socket)
        {
            try
            {
                await socket.CloseAsync(1008, "session ended: " + reason, closeTimeout);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection went away meanwhile: the abort below finds it done.
            }
        }
        lock (this)
        {
            if (!_done)
            {
                context.Abort();
            }
        }
    }
}
