namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Connections</c> section: WebSockets and streams held open under a session.</summary>
public sealed class ConnectionOptions
{
    /// <summary>
    /// Connections tracked at once by this instance; beyond it a new WebSocket or event stream is refused with 503,
    /// and a response that turns into a stream is aborted, rather than left open untracked. Default 100000.
    /// </summary>
    public int MaxTracked { get; set; } = 100_000;

    /// <summary>A proxied response still running after this long is tracked as a stream. Default 00:00:02.</summary>
    public TimeSpan StreamAfter { get; set; } = TimeSpan.FromSeconds(2);
}
